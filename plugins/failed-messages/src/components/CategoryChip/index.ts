export { CategoryChip, categoryColor } from './CategoryChip';
