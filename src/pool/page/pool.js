// The pool page: the snapshot from /api/events, drawn with textContent only, so nothing a miner
// sends (its worker name) can become markup.
const $ = (id) => document.getElementById(id);

function rate(hashesPerSecond) {
  if (!hashesPerSecond) return '0 H/s';
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s'];
  let value = hashesPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toPrecision(3)} ${units[unit]}`;
}

const number = (value) => (value === null || value === undefined ? '–' : Number(value).toPrecision(3));

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = String(cell);
    tr.append(td);
  }
  return tr;
}

function draw(snapshot) {
  const { pool, pplns, miners, blocks } = snapshot;
  $('where').textContent = `${pool.stratum} (browsers: ${pool.websocket}), mining on ${pool.chain}`;
  const facts = [
    ['height', pool.height ?? '–'],
    ['block difficulty', number(pool.networkDifficulty)],
    ['connections', pool.connections],
    ['hashrate inferred from shares', rate(pool.inferredHashrate)],
    ['hashrate the miners report', rate(pool.reportedHashrate)],
    ['blocks found', pool.blocks],
    ['luck (Σ block difficulty / Σ share difficulty)', pool.luck === null ? '–' : `${(pool.luck * 100).toFixed(0)} %`],
    [
      'this round: work / block difficulty',
      pool.roundEffort === null ? '–' : `${(pool.roundEffort * 100).toFixed(0)} %`,
    ],
  ];
  $('pool').replaceChildren(
    ...facts.flatMap(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      return [dt, dd];
    }),
  );
  $('miners').replaceChildren(
    ...miners.map((m) =>
      row([
        m.worker,
        m.connections,
        number(m.difficulty),
        m.accepted,
        `${m.rejected}${
          Object.keys(m.rejects).length
            ? ` (${Object.entries(m.rejects)
                .map(([why, n]) => `${why} ×${n}`)
                .join(', ')})`
            : ''
        }`,
        number(m.bestShareDifficulty),
        rate(m.inferredHashrate),
        m.inferenceShares ? `${(100 / Math.sqrt(m.inferenceShares)).toFixed(0)} %` : '–',
        m.reportedHashrate === null ? '–' : rate(m.reportedHashrate),
        m.blocksFound,
        m.earned,
      ]),
    ),
  );
  $('formula').textContent = pplns.formula;
  $('window').textContent =
    `N = ${pplns.windowFactor} × block difficulty = ${number(pplns.window)}; reward ${pplns.reward ?? '–'} sat. If a block were found now:`;
  $('split').replaceChildren(...pplns.splitIfFoundNow.map((p) => row([p.miner, number(p.difficulty), p.amount])));
  $('blocks').replaceChildren(
    ...blocks.map((b) =>
      row([
        b.height,
        b.hash,
        b.finder,
        b.accepted ? 'yes' : `no: ${b.reason ?? ''}`,
        b.split.map((p) => `${p.miner} ${p.amount}`).join(', '),
      ]),
    ),
  );
}

const events = new EventSource('/api/events');
events.addEventListener('status', (event) => draw(JSON.parse(event.data)));
events.addEventListener('end', (event) => {
  draw(JSON.parse(event.data));
  $('where').textContent += ' (the pool has stopped)';
});
