// The stop-job question, asked by the window (open, create, close, train, audit, import) and by the
// desktop shell on quitting: it names the job, says what stopping keeps, and offers to keep it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobLabel, stopJobQuestion } from '../../src/shared/job-text.js';

test('the question names the job, what stopping it keeps, and both answers', () => {
  assert.deepEqual(stopJobQuestion('train', 'Quitting', 'Stop and quit'), {
    title: 'Training is still running',
    text: 'Quitting stops it first. The run keeps the epochs it has finished.',
    confirm: 'Stop and quit',
    cancel: 'Keep training',
  });
  assert.equal(stopJobQuestion('audit', 'Closing the project', 'Stop and close').text, 'Closing the project stops it first. What it has not finished is lost; you can start it again later.');
});

test('other running jobs are counted: quitting stops them all', () => {
  assert.match(stopJobQuestion('embed', 'Quitting', 'Stop and quit', 1).text, /stay cached\. Another job stops too\.$/);
  assert.match(stopJobQuestion('map', 'Quitting', 'Stop and quit', 2).text, /later\. 2 other jobs stop too\.$/);
});

test('an unknown kind (a newer service) is shown by its name rather than dropped', () => {
  assert.equal(jobLabel('reindex'), 'reindex');
  assert.equal(stopJobQuestion('reindex', 'Quitting', 'Stop and quit').cancel, 'Keep reindex');
});
