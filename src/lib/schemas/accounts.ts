// Account input, shared by the browser and the server. Every error message is a message key
// (the server turns it into text in the user's language).
import { z } from 'zod';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const DISPLAY_NAME_MAX = 60;

export const email = z
	.string({ error: 'auth_email_invalid' })
	.trim()
	.toLowerCase()
	.max(254, { error: 'auth_email_invalid' })
	.pipe(z.email({ error: 'auth_email_invalid' }));

export const displayName = z
	.string({ error: 'auth_display_name_length' })
	.trim()
	.min(1, { error: 'auth_display_name_length' })
	.max(DISPLAY_NAME_MAX, { error: 'auth_display_name_length' });

/** Optional: empty means none. Digits with an optional leading +, spaces or dashes between. */
export const phone = z
	.string({ error: 'auth_phone_invalid' })
	.trim()
	.regex(/^(?:|\+?[0-9][0-9 -]{3,18}[0-9])$/, { error: 'auth_phone_invalid' })
	.transform((value) => (value === '' ? null : value));

export const newPassword = z
	.string({ error: 'auth_password_too_short' })
	.min(PASSWORD_MIN, { error: 'auth_password_too_short' })
	.max(PASSWORD_MAX, { error: 'auth_password_too_long' });

/** Sign-in only bounds the length: the rules of the day may differ from those at sign-up. */
const anyPassword = z
	.string({ error: 'auth_password_required' })
	.min(1, { error: 'auth_password_required' })
	.max(PASSWORD_MAX, { error: 'auth_invalid_credentials' });

export const signUpSchema = z.object({
	email,
	displayName,
	phone: phone.optional().transform((value) => value ?? null),
	password: newPassword
});

export const signInSchema = z.object({
	email,
	password: anyPassword
});

export const profileSchema = z.object({
	displayName,
	phone: phone.optional().transform((value) => value ?? null)
});

export const changePasswordSchema = z.object({
	currentPassword: anyPassword,
	newPassword
});

export const resetPasswordSchema = z.object({ newPassword });

export type SignUpInput = z.input<typeof signUpSchema>;
export type SignInInput = z.input<typeof signInSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** Deleting the account is confirmed by typing the password again. */
export const deleteAccountSchema = z.object({
	password: z
		.string({ error: 'account_delete_password_required' })
		.min(1, { error: 'account_delete_password_required' })
		.max(PASSWORD_MAX, { error: 'account_delete_password_wrong' })
});
