import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

const parsers = new Map<string, (content: string) => unknown>([
  ['$text', content => content],
  ['$yaml', content => yaml.parse(content)],
  ['$json', content => JSON.parse(content)],
]);

function isUrl(value: string): boolean {
  try {
    return Boolean(new URL(value));
  } catch {
    return false;
  }
}

function isInside(directory: string, file: string): boolean {
  const relative = path.relative(directory, file);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

/**
 * Resolves `$text`, `$yaml` and `$json` placeholders with a relative path in
 * entities read from a `file` location, by reading the file from disk.
 *
 * The catalog's own placeholder processor can only resolve relative paths
 * against URL locations (backstage/backstage#14372), so a catalog-info.yaml
 * written for a Git host fails when registered from the local disk. Only
 * files inside the location's own directory tree are read; every other
 * placeholder, and every other location type, is left to the catalog's
 * placeholder processor.
 */
export class FileLocationPlaceholderProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'FileLocationPlaceholderProcessor';
  }

  /** Runs before the catalog's placeholder processor (default priority 20). */
  getPriority(): number {
    return 10;
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (location.type !== 'file') {
      return entity;
    }
    const directory = path.dirname(path.resolve(location.target));
    return (await this.resolve(entity, directory, emit)) as Entity;
  }

  private async resolve(
    data: unknown,
    directory: string,
    emit: CatalogProcessorEmit,
  ): Promise<unknown> {
    if (Array.isArray(data)) {
      return Promise.all(data.map(item => this.resolve(item, directory, emit)));
    }
    if (!data || typeof data !== 'object') {
      return data;
    }
    const entries = Object.entries(data);
    if (entries.length === 1) {
      const [key, value] = entries[0];
      const parse = parsers.get(key);
      if (parse && typeof value === 'string' && !isUrl(value)) {
        return this.read(key, value, directory, parse, emit);
      }
    } else if (entries.some(([key]) => key.startsWith('$'))) {
      // Like the catalog's processor: not a placeholder, and left alone.
      return data;
    }
    return Object.fromEntries(
      await Promise.all(
        entries.map(async ([k, v]) => [
          k,
          await this.resolve(v, directory, emit),
        ]),
      ),
    );
  }

  private async read(
    key: string,
    value: string,
    directory: string,
    parse: (content: string) => unknown,
    emit: CatalogProcessorEmit,
  ): Promise<unknown> {
    const outside = () =>
      new Error(
        `Placeholder ${key} may only reference files inside ${directory}, not ${value}`,
      );
    const unreadable = (error: unknown) =>
      new Error(
        `Placeholder ${key} could not read location ${value}, ${error}`,
      );

    const file = path.resolve(directory, value);
    if (!isInside(directory, file)) {
      throw outside();
    }
    // The real paths are compared too, so that no symbolic link inside the
    // tree leads out of it.
    const realFile = await fs.realpath(file).catch(error => {
      throw unreadable(error);
    });
    if (!isInside(await fs.realpath(directory), realFile)) {
      throw outside();
    }
    const content = await fs.readFile(realFile, 'utf-8').catch(error => {
      throw unreadable(error);
    });
    emit(processingResult.refresh(`file:${file}`));
    try {
      return parse(content);
    } catch (error) {
      throw new Error(
        `Placeholder ${key} failed to parse the data at ${value}, ${error}`,
      );
    }
  }
}
