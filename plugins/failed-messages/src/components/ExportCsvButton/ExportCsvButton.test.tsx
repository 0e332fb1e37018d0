import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve } = setUpFakeBackend();

describe('ExportCsvButton on the page', () => {
  it('exports every message of the current filter as CSV', async () => {
    serve();
    let exportQuery: URLSearchParams | undefined;
    server.use(
      http.get(`${baseUrl}/export/messages.csv`, ({ request }) => {
        exportQuery = new URL(request.url).searchParams;
        return new HttpResponse('id,recipient\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
    );
    // jsdom has no object URLs; the download itself is the browser's job.
    URL.createObjectURL = jest.fn(() => 'blob:failed-messages');
    URL.revokeObjectURL = jest.fn();
    await renderPage('?age=30d&category=retryable');
    await screen.findByText('+4915112345678');

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled());
    expect(exportQuery?.get('age')).toBe('30d');
    expect(exportQuery?.getAll('category')).toEqual(['retryable']);
    expect(exportQuery?.has('limit')).toBe(false);
  });
});
