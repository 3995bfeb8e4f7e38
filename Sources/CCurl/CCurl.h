// Umbrella header for libcurl as Debian's libcurl4-openssl-dev installs it (7.88).
#include <curl/curl.h>
