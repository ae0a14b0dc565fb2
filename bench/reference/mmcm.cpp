// Hand-written reference for `npm run bench`: the textbook Erlang A queue of
// scenarios/erlang-a-textbook.yaml (M/M/c+M) as a tight binary-heap event loop in C++, to tell how
// far ccsim's whole process is from what a compiled loop does on the same machine.
//
// Model (same as the scenario): Poisson arrivals, 1000 calls/h; exponential handle time, mean
// 300 s; exponential patience, mean 180 s; 90 agents; 2000 h; one FIFO queue; a caller whose
// patience ends before an agent takes the call abandons. Statistics: 15-minute intervals.
//
// Same conventions as ccsim (README "Events are counted conservatively…", sim/model/simulation.ts):
// - events counted: arrivals, service completions, abandonments that take effect, interval
//   boundaries (at 15, 30, … min, before the horizon); an abandonment timer that finds its caller
//   already served is popped and dropped, not counted;
// - nothing at or after the horizon is processed; calls in service then count as answered;
// - ties at one instant: boundary, then service end, then arrival, then abandonment (so a caller
//   whose patience ends when an agent frees is served); FIFO among equals (a sequence number);
// - an abandonment timer is set only for a caller who has to wait.
// The random numbers differ from ccsim's (xoshiro256** here, Alea there): the rates agree within
// sampling noise (exact Erlang A: 98.1366% answered, 1.8634% abandoned).
//
// Build: g++ -O2 -std=c++17 -o mmcm mmcm.cpp (bench/engine.mjs builds it into a temporary folder).
// Usage: mmcm [seed]. Prints one JSON line: counts, rates, events, and the loop's own seconds.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

constexpr double kArrivalsPerSecond = 1000.0 / 3600.0;
constexpr double kHandleMeanSeconds = 300.0;
constexpr double kPatienceMeanSeconds = 180.0;
constexpr int kAgents = 90;
constexpr double kHorizonSeconds = 2000.0 * 3600.0;
constexpr double kIntervalSeconds = 15.0 * 60.0;
constexpr double kServiceLevelSeconds = 20.0;

// Event kinds; the kind is also the tie-break rank at one instant.
enum Kind : uint32_t { BOUNDARY = 0, SERVICE_END = 1, ARRIVAL = 2, ABANDON = 3 };

// xoshiro256** (Blackman & Vigna), seeded with splitmix64.
struct Rng {
  uint64_t s[4];
  explicit Rng(uint64_t seed) {
    for (auto& x : s) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      x = z ^ (z >> 31);
    }
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }
};

// The event calendar: a binary min-heap of (time, kind, sequence) with the id alongside.
struct Event {
  double time;
  uint64_t order;  // kind << 48 | sequence: rank first, then first scheduled first
  int64_t id;      // agent (SERVICE_END), queue position (ABANDON), interval (BOUNDARY)
};

struct Calendar {
  std::vector<Event> heap;
  uint64_t seq = 0;
  static bool before(const Event& a, const Event& b) { return a.time < b.time || (a.time == b.time && a.order < b.order); }
  void push(double time, Kind kind, int64_t id) {
    Event e{time, (static_cast<uint64_t>(kind) << 48) | seq++, id};
    size_t i = heap.size();
    heap.push_back(e);
    while (i > 0) {
      size_t parent = (i - 1) / 2;
      if (!before(e, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = e;
  }
  Event pop() {
    Event top = heap[0];
    Event last = heap.back();
    heap.pop_back();
    size_t n = heap.size();
    if (n > 0) {
      size_t i = 0;
      for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap[child + 1], heap[child])) child++;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
};

// The FIFO queue: a ring of arrival times indexed by an ever-growing position; a slot remembers
// which position it holds and whether that caller still waits (abandonment timers refer to it).
struct Queue {
  std::vector<double> arrival;
  std::vector<int64_t> position;
  std::vector<uint8_t> waiting;
  int64_t head = 0, tail = 0, count = 0;
  uint64_t mask;
  explicit Queue(int log2) : arrival(1u << log2), position(1u << log2, -1), waiting(1u << log2, 0), mask((1u << log2) - 1) {}
  int64_t push(double t) {
    if (tail - head > static_cast<int64_t>(mask)) {
      std::fprintf(stderr, "mmcm: queue ring full\n");
      std::exit(1);
    }
    const uint64_t k = static_cast<uint64_t>(tail) & mask;
    arrival[k] = t;
    position[k] = tail;
    waiting[k] = 1;
    count++;
    return tail++;
  }
  bool isWaiting(int64_t p) const {
    const uint64_t k = static_cast<uint64_t>(p) & mask;
    return position[k] == p && waiting[k];
  }
  // Removes the caller at position p (an abandonment); the head skips it later.
  double remove(int64_t p) {
    const uint64_t k = static_cast<uint64_t>(p) & mask;
    waiting[k] = 0;
    count--;
    return arrival[k];
  }
  // The oldest waiting caller's arrival time (requires count > 0).
  double shift() {
    for (;;) {
      const uint64_t k = static_cast<uint64_t>(head++) & mask;
      if (waiting[k]) {
        waiting[k] = 0;
        count--;
        return arrival[k];
      }
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  const uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1;
  const auto started = std::chrono::steady_clock::now();

  Rng rngArrivals(seed * 4 + 0), rngHandle(seed * 4 + 1), rngPatience(seed * 4 + 2);
  const int intervals = static_cast<int>(std::ceil(kHorizonSeconds / kIntervalSeconds));
  // Per-interval accumulators (by the interval of arrival), as ccsim keeps them.
  std::vector<double> offered(intervals), answered(intervals), withinSl(intervals), abandoned(intervals), wait(intervals);
  Calendar cal;
  cal.heap.reserve(1024);
  Queue queue(16);
  int idle = kAgents;
  uint64_t events = 0, cancelledTimers = 0;

  cal.push(rngArrivals.exponential(1.0 / kArrivalsPerSecond), ARRIVAL, 0);
  if (kIntervalSeconds < kHorizonSeconds) cal.push(kIntervalSeconds, BOUNDARY, 1);

  auto intervalOf = [&](double t) { return static_cast<int>(t / kIntervalSeconds); };
  auto answer = [&](double now, double arrivedAt) {
    const int i = intervalOf(arrivedAt);
    const double w = now - arrivedAt;
    answered[i] += 1;
    wait[i] += w;
    if (w <= kServiceLevelSeconds) withinSl[i] += 1;
    cal.push(now + rngHandle.exponential(kHandleMeanSeconds), SERVICE_END, 0);
  };

  while (!cal.heap.empty() && cal.heap[0].time < kHorizonSeconds) {
    const Event e = cal.pop();
    const double now = e.time;
    switch (static_cast<Kind>(e.order >> 48)) {
      case ARRIVAL: {
        events++;
        offered[intervalOf(now)] += 1;
        cal.push(now + rngArrivals.exponential(1.0 / kArrivalsPerSecond), ARRIVAL, 0);
        if (idle > 0) {
          idle--;
          answer(now, now);
        } else {
          const int64_t p = queue.push(now);
          cal.push(now + rngPatience.exponential(kPatienceMeanSeconds), ABANDON, p);
        }
        break;
      }
      case SERVICE_END:
        events++;
        if (queue.count > 0) answer(now, queue.shift());
        else idle++;
        break;
      case ABANDON: {
        if (!queue.isWaiting(e.id)) {
          cancelledTimers++;  // served before its patience ran out: not an event
          break;
        }
        events++;
        const double arrivedAt = queue.remove(e.id);
        const int i = intervalOf(arrivedAt);
        abandoned[i] += 1;
        wait[i] += now - arrivedAt;
        break;
      }
      case BOUNDARY: {
        events++;
        const int64_t next = e.id + 1;
        if (next < intervals && next * kIntervalSeconds < kHorizonSeconds) cal.push(next * kIntervalSeconds, BOUNDARY, next);
        break;
      }
    }
  }
  // Callers still waiting at the horizon: their wait so far counts (as in ccsim).
  double totalOffered = 0, totalAnswered = 0, totalWithin = 0, totalAbandoned = 0, totalWait = 0;
  for (int i = 0; i < intervals; i++) {
    totalOffered += offered[i];
    totalAnswered += answered[i];
    totalWithin += withinSl[i];
    totalAbandoned += abandoned[i];
    totalWait += wait[i];
  }
  for (int64_t p = queue.head; p < queue.tail; p++)
    if (queue.isWaiting(p)) totalWait += kHorizonSeconds - queue.arrival[static_cast<uint64_t>(p) & queue.mask];
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "{\"offered\":%.0f,\"answered\":%.0f,\"abandoned\":%.0f,\"inSystemAtEnd\":%lld,\"answerRate\":%.6f,\"abandonRate\":%.6f,"
      "\"meanWaitSeconds\":%.4f,\"serviceLevel\":%.6f,\"events\":%llu,\"cancelledTimers\":%llu,\"loopSeconds\":%.6f}\n",
      totalOffered, totalAnswered, totalAbandoned, static_cast<long long>(queue.count), totalAnswered / totalOffered,
      totalAbandoned / totalOffered, totalWait / totalOffered, totalWithin / totalOffered, static_cast<unsigned long long>(events),
      static_cast<unsigned long long>(cancelledTimers), seconds);
  return 0;
}
