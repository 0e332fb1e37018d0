import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import FilterListIcon from '@material-ui/icons/FilterList';
import { ReactNode, useState } from 'react';
import { failedMessagesTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  paper: {
    maxHeight: '90vh',
    padding: theme.spacing(2),
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    marginBottom: theme.spacing(1),
  },
}));

/**
 * The filters folded into a drawer, for phones. Changes apply at once; the
 * button says how many filters are active.
 */
export function FilterDrawer(props: {
  activeCount: number;
  children: ReactNode;
}) {
  const { activeCount, children } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);

  return (
    <>
      <Button
        variant="outlined"
        startIcon={<FilterListIcon />}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {activeCount
          ? t('filterDrawer.openWithCount', { count: activeCount })
          : t('filterDrawer.title')}
      </Button>
      <Drawer
        anchor="bottom"
        open={open}
        onClose={close}
        classes={{ paper: classes.paper }}
        // Keeps typed text that has not been applied yet when the drawer closes.
        ModalProps={{ keepMounted: true }}
        PaperProps={{ role: 'dialog', 'aria-label': t('filterDrawer.title') }}
      >
        <div className={classes.header}>
          <Typography variant="h6" component="h2">
            {t('filterDrawer.title')}
          </Typography>
          <IconButton aria-label={t('filterDrawer.close')} onClick={close}>
            <CloseIcon />
          </IconButton>
        </div>
        {children}
        <Box mt={2}>
          <Button variant="contained" color="primary" fullWidth onClick={close}>
            {t('filterDrawer.done')}
          </Button>
        </Box>
      </Drawer>
    </>
  );
}
