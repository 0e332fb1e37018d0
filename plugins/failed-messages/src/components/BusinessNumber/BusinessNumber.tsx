import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { BusinessNumber } from '@msgops/plugin-failed-messages-common';
import Typography from '@material-ui/core/Typography';
import { failedMessagesTranslationRef } from '../../translation';

/** The number as Meta showed it, else its id: a number not configured here has no label. */
function numberOf(businessNumber: BusinessNumber): string {
  return businessNumber.displayPhoneNumber ?? businessNumber.phoneNumberId;
}

/** The label of the number a message was sent from, for a row or card of the list. */
export function BusinessNumberLabel(props: {
  businessNumber: BusinessNumber | null;
}) {
  const { businessNumber } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  if (!businessNumber) {
    return <>{t('businessNumber.unknown')}</>;
  }
  return (
    <>
      {businessNumber.label ??
        t('businessNumber.notConfiguredShort', {
          number: numberOf(businessNumber),
        })}
    </>
  );
}

/**
 * The number a message was sent from, in full for its details: its label and
 * number, or that it is not configured here (the eligibility says why that
 * stops a resend).
 */
export function BusinessNumberDetail(props: {
  businessNumber: BusinessNumber | null;
}) {
  const { businessNumber } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  let number: string;
  if (!businessNumber) {
    number = t('businessNumber.unknown');
  } else if (businessNumber.label === null) {
    number = t('businessNumber.notConfigured', {
      number: numberOf(businessNumber),
    });
  } else {
    number = t('businessNumber.labelled', {
      label: businessNumber.label,
      number: numberOf(businessNumber),
    });
  }
  return (
    <Typography variant="body2">
      {t('messageDetails.businessNumber', { number })}
    </Typography>
  );
}
