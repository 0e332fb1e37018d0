import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ReactNode } from 'react';
import { failedMessagesTranslationRef } from '../../translation';

export interface ErrorCodeDocsLinkProps {
  code: string;
  /** Meta's page for the code; null for our own codes, which it does not document. */
  docsUrl: string | null;
  /** What the link shows; "Meta's documentation for <code>" without it. */
  children?: ReactNode;
}

/**
 * Meta's documentation of an error code, in a new tab (the link adds
 * rel="noopener" and says so to screen readers). Without a page, the
 * children alone.
 *
 * The link takes the theme's primary colour: #1F5493 on the light paper
 * #FFFFFF is 7.7:1, #9CC9FF on the dark paper #424242 is 5.9:1 (AA: 4.5:1).
 */
export function ErrorCodeDocsLink(props: ErrorCodeDocsLinkProps) {
  const { code, docsUrl, children } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  if (!docsUrl) {
    return <>{children}</>;
  }
  const label = t('errorCodeDocs.link', { code });
  return (
    <Link
      to={docsUrl}
      // The code alone would be a vague name for a link in a table.
      aria-label={children ? label : undefined}
      externalLinkIcon
    >
      {children ?? label}
    </Link>
  );
}
