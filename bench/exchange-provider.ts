import Fastify from 'fastify';

/** The bench's provider: a small Fastify JSON service in its own process (port from argv). */
const app = Fastify();
app.get('/api/stations/:id', async (req) => ({
  ma_tram: (req.params as { id: string }).id,
  ten: 'Trạm quan trắc Phan Rang',
  pm25: 21.5,
  pm10: 40.1,
  thoi_gian: '2026-12-03T06:00:00+07:00',
}));
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
process.send?.('ready');
