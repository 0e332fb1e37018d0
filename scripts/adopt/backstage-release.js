#!/usr/bin/env node
/*
 * The Backstage release of a fresh adopter app (scripts/adopt.sh).
 *
 *   backstage-release.js create-app-version <release> <scratch dir>
 *     prints the @backstage/create-app version to scaffold with: the newest
 *     one whose template is of <release>, or else of the newest release before
 *     it. A create-app package records its release in
 *     dist/package.json.cjs.js, which is only in its tarball, so the tarballs
 *     are fetched (npm pack), newest first, until one is old enough.
 *
 *   backstage-release.js align <app dir> <release> <project yarn.lock>
 *     raises an app scaffolded for an older release to <release>, as
 *     `backstage-cli versions:bump --release <release>` would (its release
 *     manifests cannot be reached here): every @backstage package the project
 *     also uses gets the project's version, which is of <release>
 *     (backstage.json); backstage.json gets <release>. Prints the other
 *     @backstage packages of the app, for `yarn up` to take to their newest.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function compareVersions(a, b) {
  const [x, y] = [a, b].map(v => v.split('-')[0].split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return 0;
}

function createAppVersion(release, scratchDir) {
  const versions = JSON.parse(
    execFileSync(
      'npm',
      ['view', '@backstage/create-app', 'versions', '--json'],
      {
        encoding: 'utf8',
      },
    ),
  )
    .filter(v => !v.includes('-'))
    .sort(compareVersions)
    .reverse();
  fs.mkdirSync(scratchDir, { recursive: true });
  for (const version of versions) {
    const tarball = execFileSync(
      'npm',
      ['pack', `@backstage/create-app@${version}`, '--silent'],
      { cwd: scratchDir, encoding: 'utf8' },
    ).trim();
    const source = execFileSync(
      'tar',
      ['-xzOf', tarball, 'package/dist/package.json.cjs.js'],
      { cwd: scratchDir, encoding: 'utf8' },
    );
    const templateRelease = /var version = "([^"]+)"/.exec(source)?.[1];
    if (!templateRelease) {
      throw new Error(
        `@backstage/create-app@${version} does not say its release in dist/package.json.cjs.js`,
      );
    }
    if (compareVersions(templateRelease, release) <= 0) {
      process.stderr.write(
        `@backstage/create-app@${version} scaffolds Backstage ${templateRelease}\n`,
      );
      return version;
    }
  }
  throw new Error(
    `No @backstage/create-app scaffolds Backstage ${release} or older`,
  );
}

/** The highest version of each package that the lockfile resolves. */
function lockedVersions(lockfile) {
  const versions = new Map();
  const lines = fs.readFileSync(lockfile, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const version = /^ {2}version: (.+)$/.exec(line)?.[1];
    const header = lines[i - 1];
    if (!version || !header || header.startsWith(' ')) return;
    for (const descriptor of header.replace(/:$/, '').split(', ')) {
      const name = /^"?(@?[^@"]+)@/.exec(descriptor)?.[1];
      const known = versions.get(name);
      if (name && (!known || compareVersions(version, known) > 0)) {
        versions.set(name, version);
      }
    }
  });
  return versions;
}

function align(appDir, release, lockfile) {
  const locked = lockedVersions(lockfile);
  const others = new Set();
  const manifests = [
    'package.json',
    'packages/app/package.json',
    'packages/backend/package.json',
  ];
  for (const manifest of manifests) {
    const file = path.join(appDir, manifest);
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(pkg[field] ?? {})) {
        if (!name.startsWith('@backstage/')) continue;
        if (locked.has(name)) {
          pkg[field][name] = `^${locked.get(name)}`;
        } else {
          others.add(name);
        }
      }
    }
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  fs.writeFileSync(
    path.join(appDir, 'backstage.json'),
    `${JSON.stringify({ version: release }, null, 2)}\n`,
  );
  process.stdout.write([...others].sort().join('\n'));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'create-app-version' && args.length === 2) {
  process.stdout.write(createAppVersion(args[0], args[1]));
} else if (command === 'align' && args.length === 3) {
  align(args[0], args[1], args[2]);
} else {
  process.stderr.write(
    'usage: backstage-release.js create-app-version <release> <scratch dir>\n' +
      '       backstage-release.js align <app dir> <release> <project yarn.lock>\n',
  );
  process.exit(2);
}
