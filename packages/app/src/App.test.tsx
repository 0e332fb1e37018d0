import { render, waitFor } from '@testing-library/react';
import App from './App';

describe('App', () => {
  const originalConfig = process.env.APP_CONFIG;
  // Only APP_CONFIG is replaced: Jest workers are shared between test files,
  // and the database suites report through other variables.
  afterEach(() => {
    if (originalConfig === undefined) {
      delete process.env.APP_CONFIG;
    } else {
      process.env.APP_CONFIG = originalConfig;
    }
  });

  it('should render', async () => {
    process.env.APP_CONFIG = [
      {
        data: {
          app: { title: 'Test' },
          backend: { baseUrl: 'http://localhost:7007' },
        },
        context: 'test',
      },
    ] as any;

    const rendered = render(App.createRoot());

    await waitFor(() => {
      expect(rendered.baseElement).toBeInTheDocument();
    });
  });
});
