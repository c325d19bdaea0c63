/*
 * casetrail sign: commit signatures made and checked with the system's
 * signing programs, as git does it.
 *
 * A store signs its commits when casetrail.yaml says so:
 *
 *   signing:
 *     format: ssh          # none | ssh | openpgp
 *     key: ~/.ssh/id_ed25519   # optional default key
 *
 * An ssh signature is made by `ssh-keygen -Y sign -n git -f KEY` (KEY a
 * private key file, or a public key whose private half is in ssh-agent) and
 * checked by `ssh-keygen -Y verify` against registry/allowed_signers, whose
 * principals are the operators' e-mail addresses.  An OpenPGP signature is
 * made by `gpg --detach-sign --local-user KEY` and checked by gpg in a
 * throw-away home directory holding only the author's registered public key
 * (registry/openpgp/<operator>.asc), so a signature by any other key fails.
 *
 * The programs run with their standard streams redirected to temporary
 * files in a private directory (mode 0700) the caller names, usually the
 * git directory; nothing is left behind.
 */
#ifndef CASETRAIL_SIGN_H
#define CASETRAIL_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/yaml.h"

#define CT_ALLOWED_SIGNERS_PATH "registry/allowed_signers"
#define CT_OPENPGP_KEYS_DIR     "registry/openpgp"

typedef enum ct_sign_format {
	CT_SIGN_NONE,
	CT_SIGN_SSH,
	CT_SIGN_OPENPGP,
} ct_sign_format;

/* "none", "ssh", "openpgp". */
const char *ct_sign_format_name(ct_sign_format f);

/*
 * The signing settings of a parsed casetrail.yaml (NULL: none).  *key is
 * the settings' default key or NULL; it points into settings.
 */
ct_sign_format ct_sign_settings(const ct_node *settings, const char **key);

/*
 * Sign data with key.  *sig receives the armored signature, NUL-terminated,
 * owned by the caller.  tmpdir is where a private work directory is made.
 * CT_ERROR with the program's first line of complaint when signing fails.
 */
int ct_sign(ct_sign_format f, const char *key, const char *tmpdir,
    const char *data, size_t len, char **sig, ct_error *err);

/*
 * Check that sig is a good signature of data by the registered key of
 * the author with e-mail principal.  keys is, for ssh, the text of
 * registry/allowed_signers; for OpenPGP, the author's armored public key.
 * 0 when good; CT_EINVALID with the reason in err when the signature is
 * not good (bad, wrong key, wrong format); CT_ERROR when the check itself
 * could not run.
 */
int ct_sign_verify(ct_sign_format f, const char *keys, size_t keyslen,
    const char *principal, const char *tmpdir, const char *data,
    size_t len, const char *sig, ct_error *err);

/*
 * True when keys (as for ct_sign_verify; NULL when there are none) hold a
 * key of principal: for ssh an allowed_signers line whose principals name
 * it exactly, for OpenPGP any key at all.
 */
bool ct_sign_has_key(ct_sign_format f, const char *keys, size_t keyslen,
    const char *principal);

/*
 * Read a public key file given to `registry` and say what it is: an ssh
 * public key line ("ssh-ed25519 AAAA... comment"), whose type and key are
 * copied to *line (comment dropped), or an armored OpenPGP public key
 * block, copied whole.  CT_EINVALID naming file when it is neither.
 */
int ct_sign_read_pubkey(const char *file, ct_sign_format *f, char **text,
    ct_error *err);

#endif
