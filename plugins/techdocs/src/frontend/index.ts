export { techdocsPlugin } from './plugin';
export { hasDocs, docsTripletOf } from './entityDocs';
