/*
 * casetrail sign: making and checking commit signatures with ssh-keygen
 * and gpg (see include/casetrail/sign.h).
 *
 * Each call makes a private directory (mkdtemp, mode 0700) under the
 * caller's tmpdir, writes the data, signature and keys there as files,
 * runs the program with posix_spawnp() and its standard streams redirected
 * to files in that directory, reads what it wrote and removes the
 * directory.  Nothing goes through a shell.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "casetrail/buf.h"
#include "casetrail/sign.h"

#define MAX_FILE (1 << 20)

extern char **environ;

static const char ssh_begin[] = "-----BEGIN SSH SIGNATURE-----";
static const char pgp_begin[] = "-----BEGIN PGP SIGNATURE-----";
static const char pgp_key_begin[] = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
static const char pgp_key_end[] = "-----END PGP PUBLIC KEY BLOCK-----";

const char *
ct_sign_format_name(ct_sign_format f)
{
	switch (f) {
	case CT_SIGN_SSH: return "ssh";
	case CT_SIGN_OPENPGP: return "openpgp";
	default: return "none";
	}
}

ct_sign_format
ct_sign_settings(const ct_node *settings, const char **key)
{
	const ct_node *s = ct_map_get(settings, "signing");
	const char *fmt = ct_map_str(s, "format");

	*key = ct_map_str(s, "key");
	if (fmt != NULL && strcmp(fmt, "ssh") == 0)
		return CT_SIGN_SSH;
	if (fmt != NULL && strcmp(fmt, "openpgp") == 0)
		return CT_SIGN_OPENPGP;
	return CT_SIGN_NONE;
}

/* The private work directory of one call. */
struct work {
	char *dir;
};

static int
work_open(struct work *w, const char *tmpdir, ct_error *err)
{
	w->dir = NULL;
	if (asprintf(&w->dir, "%s/casetrail-sign-XXXXXX", tmpdir) < 0) {
		w->dir = NULL;
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	if (mkdtemp(w->dir) == NULL) {
		int e = errno;

		free(w->dir);
		w->dir = NULL;
		return ct_error_set(err, CT_ERROR,
		    "%s: cannot make a temporary directory: %s", tmpdir,
		    strerror(e));
	}
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void
work_close(struct work *w)
{
	if (w->dir != NULL)
		(void)nftw(w->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(w->dir);
	w->dir = NULL;
}

/* "<dir>/<name>", owned by the caller; NULL when out of memory. */
static char *
work_path(const struct work *w, const char *name)
{
	char *p;

	return asprintf(&p, "%s/%s", w->dir, name) < 0 ? NULL : p;
}

static int
put_file(const struct work *w, const char *name, const char *data,
    size_t len, ct_error *err)
{
	char *p = work_path(w, name);
	ssize_t n;
	int fd, rc = 0;

	if (p == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if ((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", p, strerror(errno));
		goto out;
	}
	while (len > 0) {
		if ((n = write(fd, data, len)) < 0) {
			if (errno == EINTR)
				continue;
			rc = ct_error_set(err, CT_ERROR, "%s: %s", p,
			    strerror(errno));
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && rc == 0)
		rc = ct_error_set(err, CT_ERROR, "%s: %s", p, strerror(errno));
out:
	free(p);
	return rc;
}

/* Read a whole file (at most MAX_FILE bytes), NUL-terminated. */
static int
slurp(const char *path, char **out, size_t *outlen, ct_error *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return ct_error_set(err, errno == ENOENT ? CT_ENOTFOUND :
		    CT_ERROR, "%s: %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 4097) {
			char *g;

			if (cap >= MAX_FILE) {
				close(fd);
				free(buf);
				return ct_error_set(err, CT_EINVALID,
				    "%s: larger than %d bytes", path,
				    MAX_FILE);
			}
			cap = cap == 0 ? 8192 : cap * 2;
			if ((g = realloc(buf, cap)) == NULL) {
				close(fd);
				free(buf);
				return ct_error_set(err, CT_ERROR,
				    "out of memory");
			}
			buf = g;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			free(buf);
			return ct_error_set(err, CT_ERROR, "%s: %s", path,
			    strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	if (outlen != NULL)
		*outlen = len;
	return 0;
}

/* The first non-empty line the program wrote to stderr, for messages. */
static char *
first_complaint(const struct work *w)
{
	char *p = work_path(w, "stderr"), *text = NULL, *s, *e;
	ct_error ignored = {0};

	if (p == NULL || slurp(p, &text, NULL, &ignored) < 0) {
		free(p);
		return NULL;
	}
	free(p);
	for (s = text; *s == '\n' || *s == '\r' || *s == ' '; s++)
		;
	if ((e = strpbrk(s, "\r\n")) != NULL)
		*e = '\0';
	memmove(text, s, strlen(s) + 1);
	return text;
}

/*
 * Run argv with stdin from the work file `in` (NULL: /dev/null), stdout
 * to "stdout" and stderr to "stderr" in the work directory.  Returns the
 * exit status (128 + signal when killed), or -1 when it could not start.
 */
static int
run(const struct work *w, char *const argv[], const char *in)
{
	posix_spawn_file_actions_t fa;
	char *inp = in != NULL ? work_path(w, in) : strdup("/dev/null");
	char *outp = work_path(w, "stdout"), *errp = work_path(w, "stderr");
	pid_t pid;
	int status = -1, rc;

	if (inp == NULL || outp == NULL || errp == NULL ||
	    posix_spawn_file_actions_init(&fa) != 0)
		goto out;
	rc = posix_spawn_file_actions_addopen(&fa, 0, inp, O_RDONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, 1, outp,
		    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, 2, errp,
		    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (rc == 0 && posix_spawnp(&pid, argv[0], &fa, NULL, argv,
	    environ) == 0) {
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				status = -1;
				break;
			}
		if (status != -1)
			status = WIFEXITED(status) ? WEXITSTATUS(status) :
			    128 + WTERMSIG(status);
	}
	posix_spawn_file_actions_destroy(&fa);
out:
	free(inp);
	free(outp);
	free(errp);
	return status;
}

/* CT_ERROR (or code) naming the program and what it said. */
static int
run_failed(const struct work *w, int code, int status, const char *prog,
    const char *what, ct_error *err)
{
	char *why = first_complaint(w);

	if (status == -1 || status == 127)
		code = ct_error_set(err, CT_ERROR, "%s: cannot run %s",
		    what, prog);
	else
		code = ct_error_set(err, code, "%s: %s: %s", what, prog,
		    why != NULL && *why != '\0' ? why : "failed");
	free(why);
	return code;
}

int
ct_sign(ct_sign_format f, const char *key, const char *tmpdir,
    const char *data, size_t len, char **sig, ct_error *err)
{
	struct work w;
	char *datap = NULL, *sigp = NULL;
	int rc, status;

	*sig = NULL;
	if (f == CT_SIGN_NONE)
		return ct_error_set(err, CT_EINVALID, "no signing format");
	if ((rc = work_open(&w, tmpdir, err)) < 0)
		return rc;
	if ((rc = put_file(&w, "data", data, len, err)) < 0)
		goto out;
	datap = work_path(&w, "data");
	sigp = work_path(&w, f == CT_SIGN_SSH ? "data.sig" : "sig");
	if (datap == NULL || sigp == NULL) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	if (f == CT_SIGN_SSH) {
		char *argv[] = {"ssh-keygen", "-q", "-Y", "sign", "-n", "git",
		    "-f", (char *)key, datap, NULL};

		status = run(&w, argv, NULL);
	} else {
		char *argv[] = {"gpg", "--batch", "--no-tty", "--yes",
		    "--armor", "--detach-sign", "--local-user", (char *)key,
		    "--output", sigp, datap, NULL};

		status = run(&w, argv, NULL);
	}
	if (status != 0) {
		rc = run_failed(&w, CT_ERROR, status,
		    f == CT_SIGN_SSH ? "ssh-keygen" : "gpg",
		    "signing the commit", err);
		goto out;
	}
	rc = slurp(sigp, sig, NULL, err);
out:
	free(datap);
	free(sigp);
	work_close(&w);
	return rc;
}

/*
 * The lines of an allowed_signers text whose principals field names
 * exactly principal (patterns are not honoured: the registry writes plain
 * addresses, and a pattern must not let one key sign for everyone).
 */
static int
signers_of(const char *keys, size_t len, const char *principal,
    ct_buf *out)
{
	const char *s = keys, *end = keys + len, *e, *sp, *p;
	size_t plen = strlen(principal);

	for (; s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		if (*s == '#' || s == e)
			continue;
		sp = memchr(s, ' ', (size_t)(e - s));
		for (p = s; sp != NULL && p < sp; p++) {
			const char *q = memchr(p, ',', (size_t)(sp - p));

			if (q == NULL)
				q = sp;
			if ((size_t)(q - p) == plen &&
			    memcmp(p, principal, plen) == 0) {
				ct_buf_add(out, s, (size_t)(e - s));
				ct_buf_putc(out, '\n');
				break;
			}
			p = q;
		}
	}
	return out->failed ? -1 : 0;
}

bool
ct_sign_has_key(ct_sign_format f, const char *keys, size_t keyslen,
    const char *principal)
{
	ct_buf mine = { 0 };
	bool has;

	if (keys == NULL || keyslen == 0)
		return false;
	if (f != CT_SIGN_SSH)
		return true;
	has = signers_of(keys, keyslen, principal, &mine) == 0 && mine.len > 0;
	ct_buf_free(&mine);
	return has;
}

static int
verify_ssh(struct work *w, const char *keys, size_t keyslen,
    const char *principal, ct_error *err)
{
	ct_buf mine = {0};
	char *allowed = work_path(w, "allowed"), *sigp = work_path(w, "sig");
	int rc, status;

	if (allowed == NULL || sigp == NULL ||
	    signers_of(keys, keyslen, principal, &mine) < 0) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	if (mine.len == 0) {
		rc = ct_error_set(err, CT_EINVALID,
		    "no ssh key is registered for <%s> in %s", principal,
		    CT_ALLOWED_SIGNERS_PATH);
		goto out;
	}
	if ((rc = put_file(w, "allowed", mine.s, mine.len, err)) < 0)
		goto out;
	{
		char *argv[] = {"ssh-keygen", "-q", "-Y", "verify", "-n",
		    "git", "-f", allowed, "-I", (char *)principal, "-s", sigp,
		    NULL};

		status = run(w, argv, "data");
	}
	if (status == -1 || status == 127)
		rc = run_failed(w, CT_ERROR, status, "ssh-keygen",
		    "checking the signature", err);
	else if (status != 0)
		rc = ct_error_set(err, CT_EINVALID,
		    "the signature is not made by a key registered for <%s>",
		    principal);
out:
	ct_buf_free(&mine);
	free(allowed);
	free(sigp);
	return rc;
}

static int
verify_openpgp(struct work *w, const char *key, size_t keylen,
    const char *principal, ct_error *err)
{
	char *home = work_path(w, "gnupg"), *keyp = work_path(w, "key.asc");
	char *sigp = work_path(w, "sig"), *datap = work_path(w, "data");
	char *out = NULL, *outp = work_path(w, "stdout");
	int rc = 0, status;

	if (home == NULL || keyp == NULL || sigp == NULL || datap == NULL ||
	    outp == NULL) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	if (mkdir(home, 0700) < 0) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", home,
		    strerror(errno));
		goto out;
	}
	if ((rc = put_file(w, "key.asc", key, keylen, err)) < 0)
		goto out;
	{
		char *argv[] = {"gpg", "--homedir", home, "--batch", "--no-tty",
		    "--no-autostart", "--quiet", "--import", keyp, NULL};

		if ((status = run(w, argv, NULL)) != 0) {
			rc = run_failed(w, CT_ERROR, status, "gpg",
			    "reading the registered OpenPGP key", err);
			goto out;
		}
	}
	{
		char *argv[] = {"gpg", "--homedir", home, "--batch", "--no-tty",
		    "--no-autostart", "--status-fd", "1", "--verify", sigp,
		    datap, NULL};

		status = run(w, argv, NULL);
	}
	if (status == -1 || status == 127) {
		rc = run_failed(w, CT_ERROR, status, "gpg",
		    "checking the signature", err);
		goto out;
	}
	if ((rc = slurp(outp, &out, NULL, err)) < 0)
		goto out;
	/* only the author's key is in the keyring: a good signature is one
	 * made by that key */
	if (status != 0 || strstr(out, "[GNUPG:] GOODSIG ") == NULL ||
	    strstr(out, "[GNUPG:] VALIDSIG ") == NULL)
		rc = ct_error_set(err, CT_EINVALID,
		    "the signature is not made by the OpenPGP key registered "
		    "for <%s>", principal);
out:
	free(out);
	free(outp);
	free(home);
	free(keyp);
	free(sigp);
	free(datap);
	return rc;
}

int
ct_sign_verify(ct_sign_format f, const char *keys, size_t keyslen,
    const char *principal, const char *tmpdir, const char *data,
    size_t len, const char *sig, ct_error *err)
{
	const char *want = f == CT_SIGN_SSH ? ssh_begin : pgp_begin;
	struct work w;
	int rc;

	if (f == CT_SIGN_NONE)
		return ct_error_set(err, CT_EINVALID, "no signing format");
	if (strncmp(sig, want, strlen(want)) != 0)
		return ct_error_set(err, CT_EINVALID,
		    "the signature is not an %s signature",
		    ct_sign_format_name(f));
	if ((rc = work_open(&w, tmpdir, err)) < 0)
		return rc;
	if ((rc = put_file(&w, "data", data, len, err)) == 0 &&
	    (rc = put_file(&w, "sig", sig, strlen(sig), err)) == 0)
		rc = f == CT_SIGN_SSH ?
		    verify_ssh(&w, keys, keyslen, principal, err) :
		    verify_openpgp(&w, keys, keyslen, principal, err);
	work_close(&w);
	return rc;
}

/* An ssh public key type: "ssh-ed25519", "ecdsa-sha2-nistp256", ... */
static bool
ssh_type(const char *s, size_t n)
{
	static const char *const types[] = {"ssh-ed25519", "ssh-rsa",
	    "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
	    "sk-ecdsa-sha2-nistp256@openssh.com"};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i]) == n && memcmp(types[i], s, n) == 0)
			return true;
	return false;
}

int
ct_sign_read_pubkey(const char *file, ct_sign_format *f, char **text,
    ct_error *err)
{
	char *buf = NULL, *s, *t, *b, *e;
	size_t len;
	int rc;

	*text = NULL;
	if ((rc = slurp(file, &buf, &len, err)) < 0)
		return rc;
	if (strlen(buf) != len) {
		rc = ct_error_set(err, CT_EINVALID, "%s: not a public key "
		    "(it holds a NUL byte)", file);
		goto out;
	}
	for (s = buf; *s == ' ' || *s == '\n' || *s == '\r' || *s == '\t';
	    s++)
		;
	if (strncmp(s, pgp_key_begin, strlen(pgp_key_begin)) == 0) {
		if (strstr(s, pgp_key_end) == NULL) {
			rc = ct_error_set(err, CT_EINVALID, "%s: the OpenPGP "
			    "key block has no end line", file);
			goto out;
		}
		*f = CT_SIGN_OPENPGP;
		*text = strdup(s);
		goto done;
	}
	if (strstr(s, "PRIVATE KEY") != NULL) {
		rc = ct_error_set(err, CT_EINVALID, "%s: this is a private "
		    "key; give the public key (the .pub file)", file);
		goto out;
	}
	t = s + strcspn(s, " \t\n");
	for (b = t; *b == ' ' || *b == '\t'; b++)
		;
	e = b + strspn(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=");
	if (!ssh_type(s, (size_t)(t - s)) || e - b < 16 ||
	    (*e != '\0' && *e != ' ' && *e != '\t' && *e != '\n' &&
	    *e != '\r')) {
		rc = ct_error_set(err, CT_EINVALID, "%s: not an ssh public "
		    "key line (type key [comment]) nor an armored OpenPGP "
		    "public key", file);
		goto out;
	}
	*f = CT_SIGN_SSH;
	*e = '\0';
	if (asprintf(text, "%.*s %s", (int)(t - s), s, b) < 0)
		*text = NULL;
done:
	if (*text == NULL)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
out:
	free(buf);
	return rc;
}
