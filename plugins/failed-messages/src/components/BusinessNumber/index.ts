export { BusinessNumberDetail, BusinessNumberLabel } from './BusinessNumber';
