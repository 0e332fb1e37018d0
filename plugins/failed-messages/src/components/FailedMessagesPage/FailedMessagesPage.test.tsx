import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve, lastListRequest } = setUpFakeBackend();

describe('FailedMessagesContent', () => {
  it('lists the messages of the filters in the URL', async () => {
    serve();
    await renderPage('?age=7d&category=retryable&category=business-logic');

    expect(await screen.findByText('+4915112345678')).toBeInTheDocument();
    expect(screen.getByText('1/3 auto, 0 manual')).toBeInTheDocument();
    const query = lastListRequest().searchParams;
    expect(query.get('age')).toBe('7d');
    expect(query.getAll('category')).toEqual(['retryable', 'business-logic']);
    expect(query.get('sort')).toBe('failedAt');
    expect(query.get('order')).toBe('desc');
    expect(query.get('offset')).toBe('0');
  });

  it('keeps the Statistics tab in the URL', async () => {
    serve();
    server.use(
      http.get(`${baseUrl}/statistics`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'Statistics are resting' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      ),
    );
    await renderPage('?tab=statistics');

    expect(
      await screen.findByRole('tab', { name: 'Statistics', selected: true }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Summary' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    expect(
      await screen.findByRole('region', { name: 'Summary' }),
    ).toBeInTheDocument();
    // The page says which states it shows (open failures by default).
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      /^\?state=open$/,
    );

    await userEvent.click(screen.getByRole('tab', { name: 'Statistics' }));
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      'tab=statistics',
    );
  });
});
