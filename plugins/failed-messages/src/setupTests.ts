import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The first render of a Backstage app in jsdom takes seconds on a loaded
// two-core CI machine; give tests and `findBy…` queries room for that.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
