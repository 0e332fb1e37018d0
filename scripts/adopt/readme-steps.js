#!/usr/bin/env node
/*
 * Applies the installation steps of the package READMEs to a fresh app, as an
 * adopter would follow them (scripts/adopt.sh). A step is a fenced code block
 * right after a marker comment, applied as it stands, so that a wrong README
 * fails the run:
 *
 *   <!-- adopt: run -->                   sh: `yarn --cwd <dir> add <packages>`
 *   <!-- adopt: add to <file> -->         ts: the lines go before
 *                                         `backend.start();` of <file>
 *   <!-- adopt: remove from <file> -->    ts: the statements are taken out of
 *                                         <file> (they must be there)
 *   <!-- adopt: merge into <file> -->     yaml: merged into <file> as
 *                                         Backstage merges config files
 *   <!-- adopt: create <file> -->         ts: the code becomes <file>, which
 *                                         must not exist yet (the app's
 *                                         type-check then checks it)
 *
 * Usage: readme-steps.js <app dir> <tarball dir> <README>...
 * The packages of this repository are not on the registry: `yarn add` takes
 * each one at `^<version>` of its tarball in <tarball dir>, to which the app's
 * root `resolutions` point.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const yaml = require('yaml');

const MARKER =
  /^<!-- adopt: (run|add to|remove from|merge into|create)\s*(\S*) -->$/;

/** The marked blocks of a README, in order. */
function readSteps(readme) {
  const lines = fs.readFileSync(readme, 'utf8').split('\n');
  const steps = [];
  lines.forEach((line, i) => {
    const marker = MARKER.exec(line.trim());
    if (!marker) return;
    let start = i + 1;
    while (lines[start]?.trim() === '') start++;
    if (!/^```\w+$/.test(lines[start] ?? '')) {
      throw new Error(
        `${readme}:${i + 1}: the marker is not followed by a code block`,
      );
    }
    const end = lines.indexOf('```', start + 1);
    if (end < 0)
      throw new Error(`${readme}:${start + 1}: the code block is not closed`);
    steps.push({
      where: `${readme}:${start + 1}`,
      action: marker[1],
      file: marker[2],
      body: lines.slice(start + 1, end).join('\n'),
    });
  });
  return steps;
}

function tarballVersions(tarballDir) {
  const versions = new Map();
  for (const file of fs.readdirSync(tarballDir)) {
    const match = /^(@[^-]+)-(.+)-(\d+\.\d+\.\d+)\.tgz$/.exec(file);
    if (match) versions.set(`${match[1]}/${match[2]}`, match[3]);
  }
  return versions;
}

/** The app's root `resolutions` take every package of this repository from its tarball. */
function resolveToTarballs(appDir, tarballDir, versions) {
  const file = path.join(appDir, 'package.json');
  const root = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [name, version] of versions) {
    const tarball = path.resolve(
      tarballDir,
      `${name.replace('/', '-')}-${version}.tgz`,
    );
    root.resolutions = { ...root.resolutions, [name]: `file:${tarball}` };
  }
  fs.writeFileSync(file, `${JSON.stringify(root, null, 2)}\n`);
}

function run(step, appDir, versions) {
  for (const command of step.body.split('\n').filter(l => l.trim())) {
    const match = /^yarn --cwd (\S+) add ((?:\S+ ?)+)$/.exec(command.trim());
    if (!match) {
      throw new Error(
        `${step.where}: cannot apply "${command}": a run step holds \`yarn --cwd <dir> add <packages>\` lines`,
      );
    }
    if (!fs.existsSync(path.join(appDir, match[1], 'package.json'))) {
      throw new Error(`${step.where}: the app has no package ${match[1]}`);
    }
    const ourScopes = new Set([...versions.keys()].map(n => n.split('/')[0]));
    const packages = match[2].split(' ').map(name => {
      if (!ourScopes.has(name.split('/')[0])) return name;
      if (!versions.has(name)) {
        throw new Error(
          `${step.where}: ${name} is not a package of this repository`,
        );
      }
      return `${name}@^${versions.get(name)}`;
    });
    console.log(`$ ${command}`);
    try {
      // The lockfile only: one install follows all the steps.
      execFileSync(
        'yarn',
        ['--cwd', match[1], 'add', ...packages, '--mode=update-lockfile'],
        { cwd: appDir, encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      throw new Error(
        `${step.where}: "${command}" failed:\n${output
          .split('\n')
          .slice(-15)
          .join('\n')}`,
      );
    }
  }
}

/** The code of a block without the comment naming its file. */
function codeOf(step) {
  return step.body
    .split('\n')
    .filter(line => line.trim() !== `// ${step.file}`)
    .join('\n')
    .trim();
}

function addTo(step, appDir) {
  const file = path.join(appDir, step.file);
  const source = fs.readFileSync(file, 'utf8');
  const start = 'backend.start();';
  if (!source.includes(start))
    throw new Error(`${step.where}: ${step.file} has no ${start}`);
  fs.writeFileSync(
    file,
    source.replace(start, () => `${codeOf(step)}\n\n${start}`),
  );
}

function create(step, appDir) {
  const file = path.join(appDir, step.file);
  if (fs.existsSync(file))
    throw new Error(`${step.where}: ${step.file} exists already`);
  fs.writeFileSync(file, `${codeOf(step)}\n`);
}

/** Takes the block's code out of the file, whatever the line breaks of either. */
function removeFrom(step, appDir) {
  const file = path.join(appDir, step.file);
  const source = fs.readFileSync(file, 'utf8');
  const wanted = codeOf(step).replace(/\s+/g, '');
  const kept = [];
  for (let i = 0; i < source.length; i++) {
    if (!/\s/.test(source[i])) kept.push(i);
  }
  const compact = kept.map(i => source[i]).join('');
  const at = compact.indexOf(wanted);
  if (at < 0) {
    throw new Error(
      `${step.where}: ${step.file} does not hold the code to remove`,
    );
  }
  const from = source.lastIndexOf('\n', kept[at]) + 1;
  const to = source.indexOf('\n', kept[at + wanted.length - 1]) + 1;
  fs.writeFileSync(file, source.slice(0, from) + source.slice(to));
}

/**
 * Maps merge key by key; anything else replaces what is there, as Backstage
 * merges config files. The file keeps its comments.
 */
function mergeNode(document, keys, value) {
  const current = keys.length ? document.getIn(keys) : document.contents;
  const isMap = v => v && typeof v === 'object' && !Array.isArray(v);
  if (isMap(value) && yaml.isMap(current)) {
    for (const [key, child] of Object.entries(value)) {
      mergeNode(document, [...keys, key], child);
    }
  } else {
    document.setIn(keys, document.createNode(value));
  }
}

function mergeInto(step, appDir) {
  const file = path.join(appDir, step.file);
  let addition;
  try {
    addition = yaml.parse(step.body);
  } catch (error) {
    throw new Error(`${step.where}: not valid YAML: ${error.message}`);
  }
  const document = yaml.parseDocument(fs.readFileSync(file, 'utf8'));
  mergeNode(document, [], addition);
  fs.writeFileSync(
    file,
    document.toString({ flowCollectionPadding: false, lineWidth: 0 }),
  );
}

const [appDir, tarballDir, ...readmes] = process.argv.slice(2);
if (!appDir || !tarballDir || readmes.length === 0) {
  console.error('usage: readme-steps.js <app dir> <tarball dir> <README>...');
  process.exit(2);
}
const APPLY = {
  run: (step, versions) => run(step, appDir, versions),
  'add to': step => addTo(step, appDir),
  'remove from': step => removeFrom(step, appDir),
  'merge into': step => mergeInto(step, appDir),
  create: step => create(step, appDir),
};
try {
  const versions = tarballVersions(tarballDir);
  resolveToTarballs(appDir, tarballDir, versions);
  const steps = readmes.flatMap(readSteps);
  // Packages first, then code and config, in the READMEs' order.
  const ordered = [
    ...steps.filter(s => s.action === 'run'),
    ...steps.filter(s => s.action !== 'run'),
  ];
  for (const step of ordered) {
    console.log(
      `README step ${step.where}: ${step.action} ${step.file}`.trim(),
    );
    try {
      APPLY[step.action](step, versions);
    } catch (error) {
      throw error.message.startsWith(step.where)
        ? error
        : new Error(`${step.where}: ${error.message}`);
    }
  }
  console.log(`${steps.length} README steps applied`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
