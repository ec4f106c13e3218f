/** Direction of a transfer between a device and a node. */
export const UP = 0;
export const DOWN = 1;
export type Direction = typeof UP | typeof DOWN;
