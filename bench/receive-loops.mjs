// The in-process receive-path loops, shared by bench/pipeline-interleaved.mjs (Node) and
// bench/pipeline-browser.mjs (Chromium). Each loop reads frames [from, to) of one feed:
// - floor: JSON.parse + switch on type;
// - zodCompiled: + `safeParse` of the compiled default catalogue;
// - minimal: the least code that does per event what dashwire promises (docs/benchmarks.md):
//   envelope check, seq de-duplication per channel, compiled validation, the latest value per
//   key, a freshness stamp, the handler called in try/catch with a meta object;
// - dashwire: the frames into a client's onMessage (bench/direct-client.mjs).

/** `compiled`: the catalogue's schemas compiled, by type; `onEvent(data)`: every loop's handler. */
export function receiveLoops({ frames, compiled, types, dashwire, onEvent }) {
  const seqs = new Map();
  const latest = new Map();
  const handlers = Object.fromEntries(types.map((t) => [t, onEvent]));
  return {
    floor(from, to) {
      for (let i = from; i < to; i++) {
        const m = JSON.parse(frames[i]);
        switch (m.type) {
          case 'price_update':
          case 'trade':
          case 'alert':
          case 'portfolio_value':
            onEvent(m.data);
            break;
        }
      }
    },
    zodCompiled(from, to) {
      for (let i = from; i < to; i++) {
        const m = JSON.parse(frames[i]);
        const r = compiled[m.type]?.safeParse(m.data);
        if (r?.success) onEvent(r.data);
      }
    },
    minimal(from, to) {
      for (let i = from; i < to; i++) {
        let m;
        try {
          m = JSON.parse(frames[i]);
        } catch {
          continue;
        }
        if (m === null || typeof m !== 'object' || m.op !== 'event' || typeof m.type !== 'string') continue;
        const { channel, seq, type } = m;
        const last = seqs.get(channel);
        if (last !== undefined && seq <= last) continue;
        seqs.set(channel, seq);
        const r = compiled[type]?.safeParse(m.data);
        if (!r?.success) continue;
        const data = r.data;
        const now = Date.now();
        const key = data.symbol ?? data.account;
        let byKey = latest.get(type);
        if (!byKey) latest.set(type, (byKey = new Map()));
        const entry = key === undefined ? undefined : byKey.get(key);
        if (entry) {
          entry.value = data;
          entry.at = now;
        } else if (key !== undefined) byKey.set(key, { value: data, at: now });
        const meta = { type, channel, seq };
        try {
          handlers[type]?.(data, meta);
        } catch {
          // A throwing handler must not stop the others (dashwire reports it as handler_threw).
        }
      }
    },
    dashwire(from, to) {
      for (let i = from; i < to; i++) dashwire.onMessage(frames[i]);
    },
  };
}

/**
 * Runs batch k of every loop in turn, for k = 0…K−1, so that a machine that slows down for a
 * while slows every loop alike. `clock()`: a time in µs (CPU time in Node, wall time in a page).
 * Returns µs per frame, per loop and batch.
 */
export function interleave(loops, B, K, clock) {
  const times = Object.fromEntries(Object.keys(loops).map((k) => [k, []]));
  for (let k = 0; k < K; k++) {
    for (const [name, loop] of Object.entries(loops)) {
      const t = clock();
      loop(k * B, (k + 1) * B);
      times[name].push((clock() - t) / B);
    }
  }
  return times;
}

/** Minimum and median per loop, leaving out the first quarter of the batches (JIT warm-up). */
export function summarize(times) {
  const stat = (list) => {
    const s = list.slice(Math.floor(list.length / 4)).sort((a, b) => a - b);
    return { min: s[0], median: s[s.length >> 1] };
  };
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stat(v)]));
}
