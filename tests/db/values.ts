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
