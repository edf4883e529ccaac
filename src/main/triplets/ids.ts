// Id and order allocation for triplets. Ids are never reused, even after a deletion, because history
// keeps deleted rows and undo restores them with their original id. SQL in store/triplet-reads.ts.
export { nextSeq, nextTripletId } from '../store/triplet-reads.js';
