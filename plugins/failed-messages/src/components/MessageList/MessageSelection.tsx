import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { FailedMessage } from '@msgops/plugin-failed-messages-common';
import Checkbox from '@material-ui/core/Checkbox';
import { failedMessagesTranslationRef } from '../../translation';

/** Which messages are selected, for a bulk retry. */
export interface MessageSelection {
  selectedIds: ReadonlySet<string>;
  /**
   * Applies a change to the selection as it is when the change applies (a
   * state setter fits), so a callback that changes it need not be renewed
   * with every selection.
   */
  onChange: (
    change: (selectedIds: ReadonlySet<string>) => ReadonlySet<string>,
  ) => void;
}

/** The selection with `id` added, or removed if it was there. */
export function toggled(selectedIds: ReadonlySet<string>, id: string) {
  const next = new Set(selectedIds);
  if (next.has(id)) {
    next.delete(id);
  } else {
    next.add(id);
  }
  return next;
}

/** The checkbox of one message; its clicks do not open the details. */
export function SelectMessageCheckbox(props: {
  message: FailedMessage;
  selected: boolean;
  onToggle: (message: FailedMessage) => void;
}) {
  const { message, selected, onToggle } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <Checkbox
      checked={selected}
      inputProps={{
        'aria-label': t('messageList.selectMessage', {
          recipient: message.recipient,
        }),
      }}
      onClick={event => event.stopPropagation()}
      onKeyDown={event => event.stopPropagation()}
      onChange={() => onToggle(message)}
    />
  );
}

/** Selects or clears every message of the current page. */
export function SelectPageCheckbox(props: {
  messages: FailedMessage[];
  selection: MessageSelection;
}) {
  const { messages, selection } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const selectedOnPage = messages.filter(message =>
    selection.selectedIds.has(message.id),
  ).length;
  const all = messages.length > 0 && selectedOnPage === messages.length;
  return (
    <Checkbox
      checked={all}
      indeterminate={selectedOnPage > 0 && !all}
      disabled={messages.length === 0}
      inputProps={{ 'aria-label': t('messageList.selectPage') }}
      onChange={() =>
        selection.onChange(selectedIds => {
          const next = new Set(selectedIds);
          messages.forEach(message =>
            all ? next.delete(message.id) : next.add(message.id),
          );
          return next;
        })
      }
    />
  );
}
