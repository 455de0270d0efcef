// Measures texts with the networks' own code, for the tests: reads one JSON object on stdin,
//   {"x": [text, ...], "bluesky": [text, ...], "bluesky_links": [text, ...]}
// and writes one JSON object with, for each list, one result per text:
//   x: {weightedLength, valid, urls: [url, ...]}  (twitter-text parseTweet and extractUrls)
//   bluesky: {graphemes, bytes}                   (@atproto/api RichText)
//   bluesky_links: [{start, end, uri}, ...]       (RichText.detectFacetsWithoutResolution: what the
//                                                  Bluesky app links in pasted text, in UTF-8 bytes)
//   versions: the packages' versions
'use strict';
const path = require('path');
const fs = require('fs');
const here = __dirname;
const req = (name) => require(path.join(here, 'node_modules', name));
const twitter = req('twitter-text');
const { RichText } = req('@atproto/api');
const version = (name) => JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'))).version;

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const output = {
  versions: { 'twitter-text': version('twitter-text'), '@atproto/api': version('@atproto/api'), node: process.version,
              icu_unicode: process.versions.unicode },
  x: (input.x || []).map((text) => {
    const parsed = twitter.parseTweet(text);
    return { weightedLength: parsed.weightedLength, valid: parsed.valid, urls: twitter.extractUrls(text) };
  }),
  bluesky: (input.bluesky || []).map((text) => {
    const rt = new RichText({ text });
    return { graphemes: rt.graphemeLength, bytes: rt.length };
  }),
  bluesky_links: (input.bluesky_links || []).map((text) => {
    const rt = new RichText({ text });
    rt.detectFacetsWithoutResolution();
    return (rt.facets || []).flatMap((facet) => facet.features
      .filter((f) => f.$type === 'app.bsky.richtext.facet#link')
      .map((f) => ({ start: facet.index.byteStart, end: facet.index.byteEnd, uri: f.uri })));
  }),
};
process.stdout.write(JSON.stringify(output));
