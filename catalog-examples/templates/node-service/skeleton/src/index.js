import http from 'node:http';

// ${{ values.name }}: ${{ values.description }}
const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ service: '${{ values.name }}', path: req.url }));
  })
  .listen(port, () => console.log(`${{ values.name }} listening on ${port}`));
