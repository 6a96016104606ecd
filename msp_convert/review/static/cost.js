// The weekly cost of a provision row, as the model computes it
// (msp_convert/mapping/entries.py: weekly_amount, in_place, weekly_cost).
// Amounts are counted in pence as BigInt, so sums are exact as Python's Decimal is.
// Python's \d, \w and \b are Unicode-aware: written here with \p{Nd} and \p{L}\p{N}_.

const W = "[\\p{L}\\p{N}_]";
const B = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`; // Python's \b
const D = "\\p{Nd}";
const MAX_PENCE = 10n ** 14n; // model.MAX_NUMBER pounds

const MONEY = new RegExp(`£\\s?(?<amount>${D}{1,3}(?:,${D}{3})+(?:\\.${D}{1,2})?|${D}+(?:\\.${D}{1,2})?)`, "gu");
const WEEKLY_AFTER = new RegExp(
  `[ \\t]*(?:per\\s+week|/\\s*wk${B}|/\\s*week|a\\s+week|each\\s+week|p\\.\\s?w\\.|pw${B}|weekly|/\\s*w${B})`, "iuy");
const NOT_WEEKLY_AFTER = new RegExp(
  `[ \\t]*(?:/\\s*h(?:ou)?r|per\\s+h(?:ou)?r|an?\\s+h(?:ou)?r|ph${B}|p/h|one[\\s-]?off|per\\s+term|a\\s+term|/\\s*term|` +
  `termly|per\\s+(?:year|annum)|a\\s+year|/\\s*y(?:ea)?r|p\\.?a\\.?${B}|annual|yearly|per\\s+session|per\\s+month|` +
  `a\\s+month|monthly|/\\s*month|total)`, "iuy");
const WEEKLY_ANYWHERE = new RegExp(
  `per\\s+week|/\\s*wk${B}|/\\s*week|a\\s+week|each\\s+week|${B}weekly${B}|${B}pw${B}|p\\.w\\.`, "iu");
const HOURLY_AFTER = new RegExp(`[ \\t]*(?:/\\s*h|per\\s+h|an?\\s+h|ph${B}|p/h)`, "iuy");
const HOURS_WEEK = new RegExp(
  `(?<hours>${D}+(?:\\.${D}+)?)\\s*(?:hrs?|hours?)\\s*(?:/|per|a|each)\\s*(?:wk|week)${B}`, "iu");
const MONEY_FROM = new RegExp(MONEY.source, "gu"); // searched from a given place (exec keeps its own lastIndex)
const IS_DIGIT = /\p{Nd}/u;

// A decimal digit's value: Unicode's digits come in runs of ten, 0 to 9.
function digitValue(ch) {
  let cp = ch.codePointAt(0);
  let run = 0;
  while (IS_DIGIT.test(String.fromCodePoint(cp - 1))) {
    cp -= 1;
    run += 1;
  }
  return BigInt(run % 10);
}

// "1,234.5" -> [123450n pence-like units, scale]: digits as an integer and how many after the point.
function scaled(number) {
  const [whole, frac = ""] = number.replace(/,/g, "").split(".");
  let value = 0n;
  for (const ch of whole + frac) value = value * 10n + digitValue(ch);
  return [value, frac.length];
}

function pence(amount) {
  const [value, scale] = scaled(amount);
  return value * 10n ** BigInt(2 - scale);
}

// a / b rounded half to even (Decimal.quantize's default).
function divideHalfEven(a, b) {
  const q = a / b;
  const twice = (a % b) * 2n;
  if (twice > b || (twice === b && q % 2n === 1n)) return q + 1n;
  return q;
}

function sticky(re, text, at) {
  re.lastIndex = at;
  return re.test(text);
}

function amountsOf(text) {
  const seen = { total: 0n, found: false, bare: [], hourly: [] };
  for (const m of text.matchAll(MONEY)) {
    const value = pence(m.groups.amount);
    const after = m.index + m[0].length;
    if (sticky(WEEKLY_AFTER, text, after)) {
      seen.total += value;
      seen.found = true;
    } else if (sticky(NOT_WEEKLY_AFTER, text, after)) {
      if (sticky(HOURLY_AFTER, text, after)) seen.hourly.push(value);
    } else {
      seen.bare.push(value);
    }
  }
  return seen;
}

function afterLastEquals(text) {
  MONEY_FROM.lastIndex = text.lastIndexOf("=") + 1;
  const m = MONEY_FROM.exec(text);
  return m ? pence(m.groups.amount) : null;
}

// The weekly amount an entry's text states, in pence (BigInt), or null.
export function weeklyAmount(text, weekly = false) {
  if (!text.includes("£")) return null;
  const somewhere = weekly || WEEKLY_ANYWHERE.test(text);
  if (text.includes("=") && somewhere) {
    const after = afterLastEquals(text);
    if (after !== null) return after;
  }
  const seen = amountsOf(text);
  if (seen.found) return seen.total;
  const hours = HOURS_WEEK.exec(text);
  if (hours && seen.hourly.length === 1) {
    const [value, scale] = scaled(hours.groups.hours);
    return divideHalfEven(value * seen.hourly[0], 10n ** BigInt(scale));
  }
  if (somewhere && seen.bare.length === 1 && seen.hourly.length === 0) return seen.bare[0];
  if (weekly && seen.bare.length && seen.hourly.length === 0) return seen.bare.reduce((a, b) => a + b, 0n);
  return null;
}

// The entry's text less its struck fragments: what is still in place.
export function inPlace(entry) {
  const text = entry.text;
  const kept = [];
  let cursor = 0;
  for (const fragment of entry.struck || []) {
    const at = fragment ? text.indexOf(fragment, cursor) : -1;
    if (at < 0) continue;
    kept.push(text.slice(cursor, at), " ");
    cursor = at + fragment.length;
  }
  kept.push(text.slice(cursor));
  return kept.join("");
}

// The sum of the weekly amounts of the entries still in place, in pounds, or null.
export function weeklyCost(resources, weekly = false) {
  let total = 0n;
  let found = false;
  for (const entry of resources) {
    if (entry.withdrawn) continue;
    const amount = weeklyAmount(inPlace(entry), weekly);
    if (amount === null) continue;
    total += amount;
    found = true;
  }
  if (!found || total > MAX_PENCE) return null;
  return Number(total) / 100;
}

// Whether the reader read this row's amounts as weekly by their column ("Weekly cost"):
// the one reading that gives the cost the plan holds.
export function weeklyColumn(provision) {
  const stored = provision.weekly_cost_gbp;
  return weeklyCost(provision.resources, false) !== stored && weeklyCost(provision.resources, true) === stored;
}
