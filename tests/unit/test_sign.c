/*
 * Tests of lib/store/sign.c: the signing settings, reading the public keys given
 * to registry, and signatures made and checked with ssh-keygen (a key pair
 * made here), including the ones that must fail: another key, a changed
 * text, a pattern principal, the wrong signature format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shell.h"
#include "casetrail/sign.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

static char dir[] = "/tmp/ct-test-sign-XXXXXX";

static char *
path_of(const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static void
write_file(const char *name, const char *text)
{
	char *p = path_of(name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(p);
}

static ct_node *
load(const char *yaml)
{
	return yaml_doc(yaml, "t.yaml");
}

static void
test_settings(void **state)
{
	ct_node *doc;
	const char *key;

	(void)state;
	doc = load("format: 1\nsigning:\n  format: ssh\n  key: ~/k\n");
	assert_int_equal(ct_sign_settings(doc, &key), CT_SIGN_SSH);
	assert_string_equal(key, "~/k");
	ct_node_free(doc);
	doc = load("format: 1\nsigning:\n  format: openpgp\n");
	assert_int_equal(ct_sign_settings(doc, &key), CT_SIGN_OPENPGP);
	assert_null(key);
	ct_node_free(doc);
	doc = load("format: 1\nsigning:\n  format: none\n");
	assert_int_equal(ct_sign_settings(doc, &key), CT_SIGN_NONE);
	ct_node_free(doc);
	doc = load("format: 1\n");
	assert_int_equal(ct_sign_settings(doc, &key), CT_SIGN_NONE);
	ct_node_free(doc);
	assert_string_equal(ct_sign_format_name(CT_SIGN_OPENPGP), "openpgp");
}

/* read_pubkey on text: the format and text, or the error fragment. */
static void
pubkey(const char *text, int want_rc, ct_sign_format want_f,
    const char *want)
{
	ct_error err = {0};
	ct_sign_format f = CT_SIGN_NONE;
	char *out = NULL, *p;
	int rc;

	write_file("key", text);
	p = path_of("key");
	rc = ct_sign_read_pubkey(p, &f, &out, &err);
	assert_int_equal(rc, want_rc);
	if (rc == 0) {
		assert_int_equal(f, want_f);
		assert_string_equal(out, want);
	} else if (strstr(ct_error_msg(&err), want) == NULL) {
		fail_msg("'%s' lacks '%s'", ct_error_msg(&err), want);
	}
	free(out);
	free(p);
	ct_error_clear(&err);
}

static void
test_read_pubkey(void **state)
{
	(void)state;
	pubkey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFdmaRXEwaVNEgxu ada@host\n",
	    0, CT_SIGN_SSH, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFdmaRXEwaVNEgxu");
	pubkey("  ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAy\n", 0,
	    CT_SIGN_SSH, "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAy");
	pubkey("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n"
	    "-----END PGP PUBLIC KEY BLOCK-----\n", 0, CT_SIGN_OPENPGP,
	    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n"
	    "-----END PGP PUBLIC KEY BLOCK-----\n");
	pubkey("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n", CT_EINVALID,
	    CT_SIGN_NONE, "this is a private key");
	pubkey("-----BEGIN PGP PUBLIC KEY BLOCK-----\nmDMEZ\n", CT_EINVALID,
	    CT_SIGN_NONE, "has no end line");
	pubkey("ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIFdmaRXEwaVNEgxu\n",
	    CT_EINVALID, CT_SIGN_NONE, "not an ssh public key line");
	pubkey("ssh-ed25519 AAAA\n", CT_EINVALID, CT_SIGN_NONE,
	    "not an ssh public key line");
	pubkey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFdmaRX\"EwaVNEgxu\n",
	    CT_EINVALID, CT_SIGN_NONE, "not an ssh public key line");
	pubkey("", CT_EINVALID, CT_SIGN_NONE, "not an ssh public key line");
}

/* The allowed_signers text of the test's two keys, principal by key. */
static char *
signers(const char *ada_principal)
{
	char *a = sh_out("cut -d' ' -f1-2 %s/ada.pub", dir);
	char *b = sh_out("cut -d' ' -f1-2 %s/bob.pub", dir);
	char *s;

	assert_true(asprintf(&s, "# ada\n%s namespaces=\"git\" %s\n"
	    "# bob\nbob@example.org namespaces=\"git\" %s\n", ada_principal,
	    a, b) > 0);
	free(a);
	free(b);
	return s;
}

static void
test_ssh_sign_and_verify(void **state)
{
	static const char data[] = "tree 0123\nauthor Ada\n\nmessage\n";
	ct_error err = {0};
	char *key = path_of("ada"), *bobkey = path_of("bob"), *sig = NULL;
	char *bobsig = NULL, *none = NULL, *keys = signers("ada@example.org");
	char *pattern = signers("*@example.org");

	(void)state;
	assert_int_equal(ct_sign(CT_SIGN_SSH, key, dir, data, strlen(data),
	    &sig, &err), 0);
	assert_non_null(strstr(sig, "-----BEGIN SSH SIGNATURE-----"));
	assert_int_equal(ct_sign_verify(CT_SIGN_SSH, keys, strlen(keys),
	    "ada@example.org", dir, data, strlen(data), sig, &err), 0);
	/* a changed text */
	assert_int_equal(ct_sign_verify(CT_SIGN_SSH, keys, strlen(keys),
	    "ada@example.org", dir, "tree 0124\n", 10, sig, &err),
	    CT_EINVALID);
	/* ada's signature claimed by bob */
	assert_int_equal(ct_sign_verify(CT_SIGN_SSH, keys, strlen(keys),
	    "bob@example.org", dir, data, strlen(data), sig, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "<bob@example.org>"));
	/* bob's signature where ada is the author */
	assert_int_equal(ct_sign(CT_SIGN_SSH, bobkey, dir, data, strlen(data),
	    &bobsig, &err), 0);
	assert_int_equal(ct_sign_verify(CT_SIGN_SSH, keys, strlen(keys),
	    "ada@example.org", dir, data, strlen(data), bobsig, &err),
	    CT_EINVALID);
	/* a pattern principal is not honoured */
	assert_int_equal(ct_sign_verify(CT_SIGN_SSH, pattern, strlen(pattern),
	    "ada@example.org", dir, data, strlen(data), sig, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "no ssh key is registered"));
	/* an ssh signature where the store wants OpenPGP */
	assert_int_equal(ct_sign_verify(CT_SIGN_OPENPGP, keys, strlen(keys),
	    "ada@example.org", dir, data, strlen(data), sig, &err),
	    CT_EINVALID);
	assert_non_null(strstr(ct_error_msg(&err), "not an openpgp signature"));
	/* a key file that does not exist */
	assert_int_equal(ct_sign(CT_SIGN_SSH, "/nonexistent/key", dir, data,
	    strlen(data), &none, &err), CT_ERROR);
	assert_null(none);
	assert_non_null(strstr(ct_error_msg(&err), "signing the commit: "
	    "ssh-keygen:"));
	/* nothing is left behind */
	sh("test -z \"$(ls -d %s/casetrail-sign-* 2>/dev/null)\"", dir);
	ct_error_clear(&err);
	free(sig);
	free(bobsig);
	free(keys);
	free(pattern);
	free(key);
	free(bobkey);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	sh("ssh-keygen -q -t ed25519 -N '' -C ada -f %s/ada && "
	    "ssh-keygen -q -t ed25519 -N '' -C bob -f %s/bob", dir, dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_read_pubkey),
		cmocka_unit_test(test_ssh_sign_and_verify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
