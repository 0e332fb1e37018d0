export { CategoryChip } from './CategoryChip';
export { categoryColours } from './categoryColours';
