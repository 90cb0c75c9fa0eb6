// The bench's yardstick, built by bench.sh when libsimdjson-dev is present
// (never a dependency of bopt): simdjson's ondemand parser over an NDJSON
// trace (iterate_many), taking each line's variant and its timestamp
// (Heartbeat.timestamp, else metadata.timestamp) and parsing the timestamp
// to nanoseconds, as bopt must. Prints the events and a checksum so the
// work cannot be optimised away, and the parse rate in MiB/s, the file's
// loading left out (the stricter yardstick: bopt's own time includes reading).
//
//   simdjson-floor TRACE
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include <simdjson.h>

using namespace simdjson;

// "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" to ns since the epoch (UTC only: the
// bench trace's form); -1 when it is not that form.
static int64_t parse_ts(std::string_view s)
{
	auto num = [&](size_t at, size_t n) {
		int64_t v = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned d = (unsigned)(s[at + i] - '0');
			if (d > 9)
				return (int64_t)-1;
			v = v * 10 + d;
		}
		return v;
	};
	if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
			s[16] != ':' || s.back() != 'Z')
		return -1;
	int64_t y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
		sec = num(17, 2);
	if ((y | mo | d | h | mi | sec) < 0)
		return -1;
	int64_t frac = 0;
	size_t i = 19, digits = 0;
	if (s[i] == '.')
		for (i++; i + 1 < s.size(); i++, digits++)
			frac = frac * 10 + (s[i] - '0');
	for (; digits < 9; digits++)
		frac *= 10;
	// Days from civil (Howard Hinnant's algorithm).
	y -= mo <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return ((days * 24 + h) * 60 + mi) * 60 * 1000000000 + sec * 1000000000 + frac;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: simdjson-floor TRACE\n");
		return 2;
	}
	padded_string json;
	if (padded_string::load(argv[1]).get(json)) {
		std::fprintf(stderr, "simdjson-floor: cannot read %s\n", argv[1]);
		return 1;
	}
	auto start = std::chrono::steady_clock::now();
	ondemand::parser parser;
	ondemand::document_stream docs;
	if (parser.iterate_many(json, 4 << 20).get(docs)) {
		std::fprintf(stderr, "simdjson-floor: cannot start\n");
		return 1;
	}
	uint64_t events = 0, bad = 0;
	int64_t sum = 0;
	for (auto doc : docs) {
		ondemand::object event;
		if (doc.get_object().get(event)) {
			bad++;
			continue;
		}
		bool ok = false;
		for (auto field : event) {
			std::string_view variant;
			ondemand::object body;
			if (field.unescaped_key().get(variant) || field.value().get_object().get(body))
				break;
			std::string_view ts;
			bool found = variant == "Heartbeat" ?
				!body["timestamp"].get_string().get(ts) :
				!body["metadata"]["timestamp"].get_string().get(ts);
			int64_t t = found ? parse_ts(ts) : -1;
			if (t >= 0) {
				sum += t;
				ok = true;
			}
			break;
		}
		ok ? events++ : bad++;
	}
	std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
	std::printf("%llu events, %llu bad, checksum %lld, parse %.4f s, %.0f MiB/s\n",
		(unsigned long long)events, (unsigned long long)bad, (long long)sum, took.count(),
		(double)json.size() / 1048576 / took.count());
	return 0;
}
