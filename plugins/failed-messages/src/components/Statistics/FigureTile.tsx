import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useId } from 'react';

/** One key figure of the statistics, named by its label for screen readers. */
export function FigureTile(props: {
  label: string;
  value: string;
  detail?: string;
}) {
  const labelId = useId();
  return (
    <Grid item xs={12} sm={6} md={3}>
      <Card variant="outlined" role="group" aria-labelledby={labelId}>
        <CardContent>
          <Typography id={labelId} variant="body2" color="textSecondary">
            {props.label}
          </Typography>
          <Typography variant="h4" component="p">
            {props.value}
          </Typography>
          {props.detail && (
            <Typography variant="body2" color="textSecondary">
              {props.detail}
            </Typography>
          )}
        </CardContent>
      </Card>
    </Grid>
  );
}
