/*
 * etcdjson.c - the JSON of etcd's HTTP gateway (etcdclient.h): base64
 * keys and values, numbers written as strings, request parts.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/etcdclient.h"

json_t *etcd_b64(const char *data, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data,
			(int)n);
	json_t *j = json_string(out);
	free(out);
	return j;
}

char *etcd_field(const json_t *obj, const char *name)
{
	const char *in = json_string_value(json_object_get(obj, name));
	size_t n = in ? strlen(in) : 0;
	char *out = malloc(3 * (n / 4) + 4);

	if (!out || n % 4) {
		free(out);
		return NULL;
	}
	int got = n ? EVP_DecodeBlock((unsigned char *)out,
				      (const unsigned char *)in, (int)n)
		    : 0;
	if (got < 0) {
		free(out);
		return NULL;
	}
	/* EVP_DecodeBlock counts the padding's bytes */
	for (size_t i = n; i > 0 && in[i - 1] == '='; i--)
		got--;
	out[got] = '\0';
	return out;
}

int64_t etcd_int(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);

	if (json_is_integer(v))
		return json_integer_value(v);
	return json_is_string(v) ? atoll(json_string_value(v)) : 0;
}

int64_t etcd_revision(const json_t *answer)
{
	return etcd_int(json_object_get(answer, "header"), "revision");
}

bool etcd_prefix_end(const char *prefix, char *buf, size_t len)
{
	size_t n = strlen(prefix);

	if (n == 0 || n + 1 > len)
		return false;
	memcpy(buf, prefix, n + 1);
	buf[n - 1]++; /* keys here are ASCII: no carry */
	return true;
}

static json_t *key_range(const char *key, bool prefix)
{
	char end[1024];
	json_t *o = json_object();

	json_object_set_new(o, "key", etcd_b64(key, strlen(key)));
	if (prefix && etcd_prefix_end(key, end, sizeof(end)))
		json_object_set_new(o, "range_end", etcd_b64(end, strlen(end)));
	return o;
}

json_t *etcd_range(const char *key, bool prefix)
{
	return key_range(key, prefix);
}

json_t *etcd_op_put(const char *key, const char *value, int64_t lease)
{
	json_t *put = json_object();
	char id[32];

	json_object_set_new(put, "key", etcd_b64(key, strlen(key)));
	json_object_set_new(put, "value", etcd_b64(value, strlen(value)));
	if (lease) {
		snprintf(id, sizeof(id), "%lld", (long long)lease);
		json_object_set_new(put, "lease", json_string(id));
	}
	return json_pack("{s:o}", "request_put", put);
}

json_t *etcd_op_delete(const char *key, bool prefix)
{
	return json_pack("{s:o}", "request_delete_range",
			 key_range(key, prefix));
}

json_t *etcd_op_range(const char *key, bool prefix)
{
	return json_pack("{s:o}", "request_range", key_range(key, prefix));
}

json_t *etcd_cmp_int(const char *key, const char *target, int64_t v)
{
	static const struct {
		const char *target, *field;
	} fields[] = {{"MOD", "mod_revision"},
		      {"CREATE", "create_revision"},
		      {"VERSION", "version"}};
	char text[32];
	const char *field = "mod_revision";

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(fields[i].target, target) == 0)
			field = fields[i].field;
	}
	snprintf(text, sizeof(text), "%lld", (long long)v);
	return json_pack("{s:o, s:s, s:s, s:s}", "key",
			 etcd_b64(key, strlen(key)), "target", target,
			 "result", "EQUAL", field, text);
}

json_t *etcd_cmp_value(const char *key, const char *value)
{
	return json_pack("{s:o, s:s, s:s, s:o}", "key",
			 etcd_b64(key, strlen(key)), "target", "VALUE",
			 "result", "EQUAL", "value",
			 etcd_b64(value, strlen(value)));
}
