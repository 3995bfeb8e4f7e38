// Thin forwards to libcurl calls that Swift cannot make.
//
// curl_easy_setopt and curl_easy_getinfo are C variadic functions (and, under GCC's type
// checking, macros), which Swift cannot call. Each shim fixes the argument's C type, so the
// Swift side is typed too; none holds any logic.
#ifndef CCURL_SHIMS_H
#define CCURL_SHIMS_H

#include <curl/curl.h>

// curl_easy_setopt for options that take a long (timeouts, flags, enums).
CURLcode CCurlShims_setopt_long(CURL *handle, CURLoption option, long value);

// curl_easy_setopt for options that take a curl_off_t (sizes).
CURLcode CCurlShims_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

// curl_easy_setopt for options that take a string or a pointer (URL, header list, mime,
// callback context). libcurl copies strings; pointers must outlive the transfer.
CURLcode CCurlShims_setopt_pointer(CURL *handle, CURLoption option, const void *value);

// curl_easy_setopt for the body and header write callbacks.
CURLcode CCurlShims_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback);

// curl_easy_setopt for the transfer progress callback.
CURLcode CCurlShims_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback);

// curl_easy_getinfo for results that are a long (the response code).
CURLcode CCurlShims_getinfo_long(CURL *handle, CURLINFO info, long *value);

// curl_easy_getinfo for results that are a curl_off_t (bytes uploaded).
CURLcode CCurlShims_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
