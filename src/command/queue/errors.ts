/**
 * The queue's named errors. Each says what went wrong and what to do; the name is part of the
 * message as well, since a job's failure crosses processes and machines as text only.
 */

/** Redis cannot be reached when a submitter or worker starts (after waiting --queue-wait seconds). */
export class QueueUnavailableError extends Error {
  constructor(message: string) {
    super(`QueueUnavailableError: ${message}`);
    this.name = 'QueueUnavailableError';
  }
}

/** The connection to Redis was lost during the work and did not come back in time. */
export class QueueConnectionLostError extends Error {
  constructor(message: string) {
    super(`QueueConnectionLostError: ${message}`);
    this.name = 'QueueConnectionLostError';
  }
}

/**
 * Why a worker refuses a job made by other code or for other data (running it would give numbers
 * that do not belong in the submitter's table): the job goes back to the queue untouched for
 * another worker, the submitter prints this, and the worker stops taking jobs.
 */
export function workerMismatch(message: string): string {
  return `WorkerMismatchError: ${message}`;
}
