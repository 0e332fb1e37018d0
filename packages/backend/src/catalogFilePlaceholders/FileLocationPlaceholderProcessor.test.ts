import { createMockDirectory } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { processingResult } from '@backstage/plugin-catalog-node';
import { FileLocationPlaceholderProcessor } from './FileLocationPlaceholderProcessor';

describe('FileLocationPlaceholderProcessor', () => {
  const mockDir = createMockDirectory();
  const processor = new FileLocationPlaceholderProcessor();

  beforeEach(() => {
    mockDir.setContent({
      'outside.txt': 'secret',
      repo: {
        'catalog-info.yaml': '',
        'api/openapi.yaml': 'openapi: 3.0.3\ninfo:\n  title: Failed Messages\n',
        'api/links.json': '[{"url":"https://example.com"}]',
        'api/escape.txt': ({ symlink }) => symlink('../../outside.txt'),
      },
    });
  });

  const api = (spec: Entity['spec']): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'failed-messages-api' },
    spec,
  });
  const fileLocation = () => ({
    type: 'file',
    target: mockDir.resolve('repo/catalog-info.yaml'),
  });

  it('reads $text, $yaml and $json relative to a file location', async () => {
    const emit = jest.fn();
    const entity = await processor.preProcessEntity(
      api({
        definition: { $text: './api/openapi.yaml' },
        parsed: { $yaml: 'api/openapi.yaml' },
        links: [{ $json: './api/links.json' }],
      }),
      fileLocation(),
      emit,
    );

    expect(entity.spec).toEqual({
      definition: 'openapi: 3.0.3\ninfo:\n  title: Failed Messages\n',
      parsed: { openapi: '3.0.3', info: { title: 'Failed Messages' } },
      links: [[{ url: 'https://example.com' }]],
    });
    expect(emit).toHaveBeenCalledWith(
      processingResult.refresh(
        `file:${mockDir.resolve('repo/api/links.json')}`,
      ),
    );
  });

  it('leaves URL locations and absolute URLs to the catalog', async () => {
    const relative = api({ definition: { $text: './api/openapi.yaml' } });
    const absolute = api({
      definition: { $text: 'https://example.com/openapi.yaml' },
    });
    const emit = jest.fn();

    await expect(
      processor.preProcessEntity(
        relative,
        {
          type: 'url',
          target: 'https://github.com/acme/repo/blob/main/catalog-info.yaml',
        },
        emit,
      ),
    ).resolves.toEqual(relative);
    await expect(
      processor.preProcessEntity(absolute, fileLocation(), emit),
    ).resolves.toEqual(absolute);
    expect(emit).not.toHaveBeenCalled();
  });

  it.each([
    ['a parent directory', '../outside.txt'],
    ['an absolute path', mockDir.resolve('outside.txt')],
    ['a symbolic link out of the tree', './api/escape.txt'],
  ])('refuses to read %s', async (_, target) => {
    await expect(
      processor.preProcessEntity(
        api({ definition: { $text: target } }),
        fileLocation(),
        jest.fn(),
      ),
    ).rejects.toThrow(/Placeholder \$text may only reference files inside/);
  });

  it('says which file it could not read', async () => {
    await expect(
      processor.preProcessEntity(
        api({ definition: { $text: './api/missing.yaml' } }),
        fileLocation(),
        jest.fn(),
      ),
    ).rejects.toThrow(
      /Placeholder \$text could not read location \.\/api\/missing\.yaml/,
    );
  });
});
