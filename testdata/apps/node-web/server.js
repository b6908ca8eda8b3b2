// The sample Node.js web application: GET / answers with a fixed body that
// uses its one dependency, on port 8080.
'use strict';
const http = require('http');
const ms = require('ms');

const body = `hello from node-web ${ms(60000)}\n`;

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/') {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end(body);
});

server.listen(8080, '0.0.0.0', () => {
  console.error(`node-web listening on 8080 as uid ${process.getuid()}`);
});
