/** What every lab shares with its printers. */

/** A lab says what it is doing, for a status line on a terminal. */
export type LabProgress = (status: string) => void;
