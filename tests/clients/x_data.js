// Writes the facts cmhub's X counter takes from twitter-text (the package installed here), as data:
//   cmhub/counting/x_tlds.txt   the top-level domains a bare or schemed link may end with
//   cmhub/counting/x_emoji.txt  the pattern of the emoji sequences twitter-text counts as one (weight 2)
// Run: node tests/clients/x_data.js [FOLDER]   (default cmhub/counting; test_counting_clients.py checks
// that the files there are up to date)
'use strict';
const fs = require('fs');
const path = require('path');
const here = __dirname;
const req = (name) => require(path.join(here, 'node_modules', name));
const gtld = req('twitter-text/dist/regexp/validGTLD.js');
const cctld = req('twitter-text/dist/regexp/validCCTLD.js');
const { parse } = req('twemoji-parser');
const pkg = (name) => JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'))).version;

function alternatives(regexp) {
  const source = regexp.source;
  const inner = source.slice(source.indexOf('(?:(?:') + 6, source.lastIndexOf(')(?='));
  return inner.split('|');
}

const root = process.argv[2] || path.join(here, '..', '..', 'cmhub', 'counting');
const tlds = [
  `# Top-level domains twitter-text ${pkg('twitter-text')} links (npm package twitter-text, dist/regexp/validGTLD.js`,
  '# and validCCTLD.js, generated upstream from twitter/twitter-text conformance/tld_lib.yml).',
  '# Written by tests/clients/x_data.js; one per line, in twitter-text\'s order; [generic] then [country].',
  '[generic]', ...alternatives(gtld), '[country]', ...alternatives(cctld), ''];
fs.writeFileSync(path.join(root, 'x_tlds.txt'), tlds.join('\n'));

const emoji = [
  `# The emoji pattern of twemoji-parser ${pkg('twemoji-parser')} (twitter-text ${pkg('twitter-text')}'s emoji parser, dist/lib/regex.js,`,
  '# generated upstream from the Twemoji emoji list), over UTF-16 code units; X counts each match as 2.',
  '# Written by tests/clients/x_data.js.',
  req('twemoji-parser/dist/lib/regex.js').default.source, ''];
fs.writeFileSync(path.join(root, 'x_emoji.txt'), emoji.join('\n'));
console.log(`${tlds.length - 6} TLDs, emoji pattern of ${emoji[3].length} characters`);
