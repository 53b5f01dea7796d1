// The code a captain's screen would show at `now`, read as the screen reads it.
import * as attendance from '../../src/lib/server/attendance';
import type { AttendanceSession } from '../../src/lib/server/db/schema';
import type { TeamFixture } from './teams';

export async function shownCode(
	team: TeamFixture,
	eventId: string,
	now: Date,
	session: AttendanceSession = 'day'
): Promise<string> {
	const screen = await attendance.getCodeScreen(
		{ userId: team.captain.id },
		team.teamId,
		eventId,
		session,
		'http://localhost',
		now
	);
	return screen.code;
}
