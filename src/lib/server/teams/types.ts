/** The signed-in user a domain command acts for. */
export interface Actor {
	userId: string;
}
