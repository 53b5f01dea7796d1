// Small values the database suites share: the actor of a user, a moment, and a refusal caught
// as a value (to check its type and fields).
export const as = (user: { id: string }) => ({ userId: user.id });

export const at = (iso: string) => new Date(iso);

export const plusMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

export const failure = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(err: unknown) => err
	);

/** The scope of an event command: `user` acting in `team`'s event `eventId`. */
export const scopeFor = (user: { id: string }, team: { teamId: string }, eventId: string) => ({
	actor: as(user),
	teamId: team.teamId,
	eventId
});
