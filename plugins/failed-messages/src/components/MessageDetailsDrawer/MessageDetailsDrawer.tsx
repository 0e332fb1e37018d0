import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme, makeStyles } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useId } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { formatExactTime } from '../../utils/formatTime';
import { AutomaticRun } from '../../utils/nextAutomaticRetry';
import { BusinessNumberDetail } from '../BusinessNumber';
import { CategoryChip } from '../CategoryChip';
import { ErrorCodeDocsLink } from '../ErrorCodeDocsLink';
import { AttemptTimeline } from './AttemptTimeline';
import { eligibilityText } from './eligibilityText';
import { RetryButton } from './RetryButton';
import { SettleButtons } from './SettleButtons';
import { DismissButtons } from './DismissButtons';

const useStyles = makeStyles(theme => ({
  paper: {
    width: '40rem',
    maxWidth: '100vw',
    padding: theme.spacing(3),
  },
  fullScreenPaper: {
    width: '100%',
    padding: theme.spacing(2),
  },
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  section: {
    marginTop: theme.spacing(3),
  },
  pre: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    backgroundColor: theme.palette.background.default,
    padding: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    fontSize: '0.8rem',
    margin: 0,
  },
}));

function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={props.title}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

export interface MessageDetailsDrawerProps {
  /** The open message; the drawer is closed without one. */
  messageId?: string;
  /** Changes when the message may have changed, so that it is fetched again. */
  refreshKey?: number;
  /** The automatic retry run, once known: a message waits for it. */
  automaticRun?: AutomaticRun;
  onClose: () => void;
  /** Called after a retry: the list and the counts refresh, and refreshKey changes. */
  onRetried: () => void;
}

/** Why a message failed, what to do, whether it can be retried, and its retry history. */
export function MessageDetailsDrawer(props: MessageDetailsDrawerProps) {
  const { messageId, refreshKey, automaticRun, onClose, onRetried } = props;
  const classes = useStyles();
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const titleId = useId();
  // A phone has no room beside the list, so the details cover the screen.
  const fullScreen = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  const details = useAsync(
    async () => (messageId ? api.getMessage(messageId) : undefined),
    [api, messageId, refreshKey],
  );
  // While it is fetched again the message stays on screen, so that a refresh
  // neither flickers nor loses a reason being typed.
  const message = details.value?.id === messageId ? details.value : undefined;

  return (
    <Drawer
      anchor="right"
      open={Boolean(messageId)}
      onClose={onClose}
      classes={{ paper: fullScreen ? classes.fullScreenPaper : classes.paper }}
      PaperProps={{
        role: 'dialog',
        'aria-modal': true,
        'aria-labelledby': titleId,
      }}
    >
      <div className={classes.header}>
        <Typography id={titleId} variant="h5" component="h2">
          {message
            ? t('messageDetails.title', { recipient: message.recipient })
            : t('messageDetails.loadingTitle')}
        </Typography>
        <IconButton aria-label={t('messageDetails.close')} onClick={onClose}>
          <CloseIcon />
        </IconButton>
      </div>
      {details.loading && !message && <Progress />}
      {details.error && (
        <Alert severity="error">
          {t('messageDetails.loadFailed', {
            error: describeError(details.error),
          })}
        </Alert>
      )}
      {message && (
        <>
          <Typography variant="subtitle1">
            {message.error.title
              ? t('messageDetails.errorWithTitle', {
                  code: message.error.code,
                  title: message.error.title,
                })
              : t('messageDetails.error', { code: message.error.code })}{' '}
            <CategoryChip category={message.category} />
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {[
              t('messageDetails.state', { state: t(`state.${message.state}`) }),
              t('messageDetails.failed', {
                time: formatExactTime(message.failedAt),
                status: t(`retryStatus.${message.retryStatus}`),
              }),
              message.campaign &&
                t('messageDetails.campaign', { campaign: message.campaign }),
              message.templateName &&
                t('messageDetails.template', {
                  template: message.templateName,
                }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Typography>
          <BusinessNumberDetail businessNumber={message.businessNumber} />
          {message.dismissal && message.state === 'dismissed' && (
            <Typography variant="body2">
              {t('messageDetails.dismissal', {
                time: formatExactTime(message.dismissal.at),
                actor: message.dismissal.by,
                reason: message.dismissal.reason,
              })}
            </Typography>
          )}
          {message.resolution?.cause === 'newer-delivery' && (
            <Typography variant="body2">
              {t('messageDetails.newerDelivery', {
                time: formatExactTime(message.resolution.at),
              })}
            </Typography>
          )}
          <Section title={t('messageDetails.whatHappened')}>
            <Typography>{message.explanation.meaning}</Typography>
            {message.explanation.docsUrl && (
              <Typography>
                <ErrorCodeDocsLink
                  code={message.error.code}
                  docsUrl={message.explanation.docsUrl}
                />
              </Typography>
            )}
          </Section>
          <Section title={t('messageDetails.whatToDo')}>
            <Typography>{message.explanation.action}</Typography>
          </Section>
          <Section title={t('messageDetails.rule')}>
            <Typography>{message.explanation.rule}</Typography>
          </Section>
          <Section title={t('messageDetails.retry')}>
            <Typography paragraph>
              {eligibilityText(t, message, automaticRun)}
            </Typography>
            <RetryButton message={message} onRetried={onRetried} />
            <SettleButtons message={message} onSettled={onRetried} />
            <DismissButtons message={message} onChanged={onRetried} />
          </Section>
          <Section title={t('messageDetails.providerError')}>
            <pre className={classes.pre}>
              {JSON.stringify(message.error, null, 2)}
            </pre>
          </Section>
          <Section title={t('messageDetails.payload')}>
            {message.payload ? (
              <pre className={classes.pre}>
                {JSON.stringify(message.payload, null, 2)}
              </pre>
            ) : (
              <Typography>{t('messageDetails.payloadNotStored')}</Typography>
            )}
          </Section>
          <Section title={t('messageDetails.retryHistory')}>
            <AttemptTimeline
              attempts={message.attempts}
              stateChanges={message.stateChanges}
            />
          </Section>
        </>
      )}
    </Drawer>
  );
}
