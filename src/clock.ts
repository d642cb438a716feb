/** Today's date in UTC, YYYY-MM-DD: the day live data (open care-plan actions, profiles) are judged on. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
