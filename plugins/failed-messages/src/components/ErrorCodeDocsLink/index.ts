export { ErrorCodeDocsLink } from './ErrorCodeDocsLink';
