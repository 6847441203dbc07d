// FSRS (Free Spaced Repetition Scheduler, FSRS-5), Lode's own small
// implementation for the revision mode. It follows the `rs-fsrs` crate
// 1.2.1 (https://github.com/open-spaced-repetition/rs-fsrs) step for step:
// its 19 default weights, DECAY -0.5, FACTOR 19/81, the basic scheduler with
// short-term learning steps (1, 5 and 10 minutes), no fuzz, a maximum
// interval of 36500 days and a configurable desired retention (0.9 by
// default). tests/browser_revise.rs checks it against the crate on random
// rating sequences: the same due dates to the millisecond.
//
// A card is a plain object (times in milliseconds since the epoch, UTC):
//   { due, stability, difficulty, elapsed_days, scheduled_days, reps,
//     lapses, state, last_review }
// state: 0 New, 1 Learning, 2 Review, 3 Relearning (as rs-fsrs's State).
// Ratings: 1 Again, 2 Hard, 3 Good, 4 Easy.
(function () {
  "use strict";
  var W = [0.4072, 1.1829, 3.1262, 15.4722, 7.2102, 0.5316, 1.0651, 0.0234, 1.616, 0.1544, 1.0824, 1.9813,
    0.0953, 0.2975, 2.2042, 0.2407, 2.9466, 0.5034, 0.6567];
  var DECAY = -0.5;
  var FACTOR = 19 / 81;
  var MAX_INTERVAL = 36500;
  var MINUTE = 60000;
  var DAY = 86400000;
  var NEW = 0, LEARNING = 1, REVIEW = 2, RELEARNING = 3;
  var AGAIN = 1, HARD = 2, GOOD = 3, EASY = 4;

  // Rust's f64::mul_add rounds once; JavaScript has no fused multiply-add.
  // Dekker's exact product and Knuth's two-sum get within an ulp of it
  // (exact but for rare double-rounding cases), which keeps the schedule
  // equal to the crate's.
  var SPLIT = 134217729; // 2^27 + 1
  function fma(a, b, c) {
    var p = a * b;
    var t = SPLIT * a, ah = t - (t - a), al = a - ah;
    t = SPLIT * b;
    var bh = t - (t - b), bl = b - bh;
    var pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    var s = p + c;
    var bb = s - p;
    var se = (p - (s - bb)) + (c - bb);
    return s + (se + pe);
  }
  // Rust's f64::round: halves away from zero.
  function round(x) { return x < 0 ? -Math.round(-x) : Math.round(x); }
  function clamp(x, lo, hi) { return Math.min(Math.max(x, lo), hi); }
  // chrono's num_days(): whole days, truncated toward zero.
  function wholeDays(ms) { return (ms - ms % DAY) / DAY; }

  function forgettingCurve(elapsedDays, stability) {
    return Math.pow(1 + FACTOR * elapsedDays / stability, DECAY);
  }
  function initDifficulty(r) { return clamp(W[4] - Math.exp(W[5] * (r - 1)) + 1, 1, 10); }
  function initStability(r) { return Math.max(W[r - 1], 0.1); }
  function nextInterval(stability, retention) {
    return clamp(round(stability / FACTOR * (Math.pow(retention, 1 / DECAY) - 1)), 1, MAX_INTERVAL);
  }
  function nextDifficulty(d, r) {
    var next = fma(W[6], -(r - 3), d);
    return clamp(fma(W[7], initDifficulty(EASY), (1 - W[7]) * next), 1, 10);
  }
  function shortTermStability(s, r) { return s * Math.exp(W[17] * (r - 3 + W[18])); }
  function nextRecallStability(d, s, r, rating) {
    var modifier = rating === HARD ? W[15] : rating === EASY ? W[16] : 1;
    return s * fma(Math.exp(W[8]) * (11 - d) * Math.pow(s, -W[9]) * Math.expm1((1 - r) * W[10]), modifier, 1);
  }
  function nextForgetStability(d, s, r) {
    return W[11] * Math.pow(d, -W[12]) * (Math.pow(s + 1, W[13]) - 1) * Math.exp((1 - r) * W[14]);
  }

  /** A new, never reviewed card, due now. */
  function newCard(now) {
    return { due: now, stability: 0, difficulty: 0, elapsed_days: 0, scheduled_days: 0, reps: 0, lapses: 0,
      state: NEW, last_review: now };
  }
  function copy(c) {
    return { due: c.due, stability: c.stability, difficulty: c.difficulty, elapsed_days: c.elapsed_days,
      scheduled_days: c.scheduled_days, reps: c.reps, lapses: c.lapses, state: c.state, last_review: c.last_review };
  }

  /** The probability of recall of `card` at `now` (0 for a new card); days elapsed count whole, as in rs-fsrs. */
  function retrievability(card, now) {
    if (!card || card.state === NEW) return 0;
    return forgettingCurve(wholeDays(now - card.last_review), card.stability);
  }

  /**
   * The card after answering `rating` (1..4) at `now` (ms). `card` null or
   * missing means a new card. `opts.retention` is the desired retention
   * (default 0.9). Pure: `card` is not changed.
   */
  function next(card, rating, now, opts) {
    var retention = (opts && opts.retention) || 0.9;
    var last = card ? copy(card) : newCard(now);
    var cur = copy(last);
    cur.elapsed_days = last.state === NEW ? 0 : wholeDays(now - last.last_review);
    cur.last_review = now;
    cur.reps += 1;
    var n = cur, interval, good;
    if (last.state === NEW) {
      n.difficulty = initDifficulty(rating);
      n.stability = initStability(rating);
      if (rating === EASY) {
        interval = nextInterval(n.stability, retention);
        n.scheduled_days = interval; n.due = now + interval * DAY; n.state = REVIEW;
      } else {
        n.scheduled_days = 0;
        n.due = now + (rating === AGAIN ? 1 : rating === HARD ? 5 : 10) * MINUTE;
        n.state = LEARNING;
      }
    } else if (last.state === LEARNING || last.state === RELEARNING) {
      n.difficulty = nextDifficulty(last.difficulty, rating);
      n.stability = shortTermStability(last.stability, rating);
      if (rating === AGAIN || rating === HARD) {
        n.scheduled_days = 0;
        n.due = now + (rating === AGAIN ? 5 : 10) * MINUTE;
        n.state = last.state;
      } else {
        interval = nextInterval(n.stability, retention);
        if (rating === EASY) {
          good = nextInterval(shortTermStability(last.stability, GOOD), retention);
          interval = Math.max(interval, good + 1);
        }
        n.scheduled_days = interval; n.due = now + interval * DAY; n.state = REVIEW;
      }
    } else {
      var d = last.difficulty, s = last.stability, r = retrievability(last, now);
      n.difficulty = nextDifficulty(d, rating);
      if (rating === AGAIN) {
        n.stability = nextForgetStability(d, s, r);
        n.scheduled_days = 0; n.due = now + 5 * MINUTE; n.state = RELEARNING; n.lapses += 1;
      } else {
        var hardS = nextRecallStability(d, s, r, HARD), goodS = nextRecallStability(d, s, r, GOOD);
        var hard = nextInterval(hardS, retention);
        good = nextInterval(goodS, retention);
        hard = Math.min(hard, good);
        good = Math.max(good, hard + 1);
        if (rating === HARD) { n.stability = hardS; interval = hard; }
        else if (rating === GOOD) { n.stability = goodS; interval = good; }
        else {
          n.stability = nextRecallStability(d, s, r, EASY);
          interval = Math.max(nextInterval(n.stability, retention), good + 1);
        }
        n.scheduled_days = interval; n.due = now + interval * DAY; n.state = REVIEW;
      }
    }
    return n;
  }

  /** The four possible next cards (Again, Hard, Good, Easy) at `now`. */
  function preview(card, now, opts) {
    return [AGAIN, HARD, GOOD, EASY].map(function (r) { return next(card, r, now, opts); });
  }

  window.LodeFSRS = {
    weights: W.slice(), DECAY: DECAY, FACTOR: FACTOR, MAX_INTERVAL: MAX_INTERVAL,
    State: { New: NEW, Learning: LEARNING, Review: REVIEW, Relearning: RELEARNING },
    Rating: { Again: AGAIN, Hard: HARD, Good: GOOD, Easy: EASY },
    newCard: newCard, next: next, preview: preview, retrievability: retrievability
  };
})();
