/** The native backend's registered name (kept apart so browser code can compare against it). */
export const NATIVE_BACKEND = 'native';
