import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';

/** The longest reason the backend keeps. */
const MAX_REASON_LENGTH = 500;

/**
 * A confirmation that asks for a required reason, as dismissing and
 * settling a message do; confirming is possible once the reason has text.
 */
export function ReasonDialog(props: {
  titleId: string;
  reasonId: string;
  open: boolean;
  title: string;
  text: string;
  reasonLabel: string;
  reasonHelp: string;
  cancelLabel: string;
  confirmLabel: string;
  reason: string;
  onReasonChange: (reason: string) => void;
  onClose: () => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby={props.titleId}
    >
      <DialogTitle id={props.titleId}>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{props.text}</DialogContentText>
        <TextField
          id={props.reasonId}
          label={props.reasonLabel}
          helperText={props.reasonHelp}
          value={props.reason}
          onChange={event => props.onReasonChange(event.target.value)}
          inputProps={{ maxLength: MAX_REASON_LENGTH }}
          required
          fullWidth
          margin="dense"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{props.cancelLabel}</Button>
        <Button
          color="primary"
          disabled={!props.reason.trim()}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
