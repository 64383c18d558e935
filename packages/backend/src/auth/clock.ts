/** The time source of the auth module; tests pass their own to move time without sleeping. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
