<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
    <html lang="fr">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> · Flux</title>
        <style>
          :root { color-scheme: light dark; --fg: #1d232b; --bg: #fbfaf7; --muted: #58606b; --accent: #0b5cad; --box: #eef2f6; }
          @media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --bg: #15181c; --muted: #a9b0ba; --accent: #8cc4ff; --box: #222830; } }
          body { font: 1.05rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
          main { max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem; }
          a { color: var(--accent); }
          .about { background: var(--box); border-radius: .5rem; padding: 1rem 1.25rem; }
          code { word-break: break-all; }
          li { margin: .75rem 0; }
          time, .muted { color: var(--muted); font-size: .9rem; }
        </style>
      </head>
      <body>
        <main>
          <p class="about" role="note">Ceci est un flux web. Copiez son adresse dans un lecteur de flux pour suivre les nouveaux articles.</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p class="muted"><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
          <p><a href="/">Accueil</a></p>
          <ul>
            <xsl:for-each select="/rss/channel/item">
              <li><a href="{link}"><xsl:value-of select="title"/></a><br/><time><xsl:value-of select="pubDate"/></time></li>
            </xsl:for-each>
            <xsl:for-each select="/atom:feed/atom:entry">
              <li><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a><br/><time><xsl:value-of select="substring(atom:published, 1, 10)"/></time></li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
