/**
 * Every default figure `powlab economics` uses, each with the date it was true and where it comes
 * from. No network at run time: these are a dated snapshot, and docs/economics.md explains each one.
 * Pass current figures with --difficulty, --btc-price, --reward and --kwh-price.
 */

export interface Figure {
  value: number;
  /** When the figure held: YYYY, YYYY-MM or YYYY-MM-DD. */
  asOf: string;
  source: string;
}

/**
 * Used when neither a flag nor a preset gives the figure: the network at the end of 2025 (the last
 * difficulty of that year, the price it closed at, its fees) and a household's price for a kWh.
 */
export const DEFAULTS = {
  difficulty: {
    value: 148.2e12,
    asOf: '2025-12',
    source:
      'final difficulty adjustment of 2025 (block 929,376), CoinWarz data as reported by Cointelegraph and Bitbo, 29 Dec 2025',
  },
  reward: {
    value: 3.125 + 0.036,
    asOf: '2025',
    source:
      'subsidy 3.125 BTC (consensus rule from block 840,000, 20 Apr 2024, to block 1,050,000) plus 0.036 BTC, the mean fees per block in 2025 (Hashlabs, "Don\'t forget the transaction fees")',
  },
  btcPrice: {
    value: 87_500,
    asOf: '2025-12-31',
    source:
      'the 2025 close, about 6.3% under the yearly open of $93,374 (Cointelegraph, 28 Dec 2025; year-end market reports)',
  },
  kwhPrice: {
    value: 0.17,
    asOf: '2025',
    source: 'U.S. average residential price, about 17 cents/kWh in 2025 (EIA, Electric Power Monthly, table 5.6)',
  },
} as const satisfies Record<string, Figure>;

/** What an industrial miner pays. */
const INDUSTRIAL_KWH_PRICE: Figure = {
  value: 0.05,
  asOf: '2025',
  source:
    'an assumption of the order large listed miners report for power (4-5 cents/kWh in their 2024-25 results), not a quote',
};

/** How a preset describes the machine: two of hashrate, power and efficiency (or a measurement). */
export type MachineFigure =
  | { quantity: 'hashrate'; figure: Figure | 'measure' }
  | { quantity: 'watts'; figure: Figure }
  | { quantity: 'efficiency'; figure: Figure };

export interface Preset {
  name: string;
  describe: string;
  /** In order of precedence: a flag replaces one, and the first two left unreplaced describe the machine. */
  machine: MachineFigure[];
  kwhPrice: Figure;
}

function bitmain(model: string, year: string, terahashes: number, joulesPerTerahash: number): MachineFigure[] {
  const source = `Bitmain's published specification for the Antminer ${model}`;
  return [
    { quantity: 'hashrate', figure: { value: terahashes * 1e12, asOf: year, source } },
    { quantity: 'efficiency', figure: { value: joulesPerTerahash, asOf: year, source } },
  ];
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'laptop',
    describe: 'this machine, measured for a few seconds on every core, at a household price',
    machine: [
      { quantity: 'hashrate', figure: 'measure' },
      {
        quantity: 'watts',
        figure: {
          value: 50,
          asOf: '2025',
          source:
            'an assumption: a laptop with every core busy draws roughly 30-60 W at the wall; measure yours with a plug-in meter',
        },
      },
    ],
    kwhPrice: DEFAULTS.kwhPrice,
  },
  {
    name: 's9',
    describe: 'Antminer S9 (2016): 13.5 TH/s at 98 J/TH',
    machine: bitmain('S9', '2016', 13.5, 98),
    kwhPrice: INDUSTRIAL_KWH_PRICE,
  },
  {
    name: 's19',
    describe: 'Antminer S19 (2020): 95 TH/s at 34.5 J/TH',
    machine: bitmain('S19', '2020', 95, 34.5),
    kwhPrice: INDUSTRIAL_KWH_PRICE,
  },
  {
    name: 's19xp',
    describe: 'Antminer S19 XP (2022): 140 TH/s at 21.5 J/TH',
    machine: bitmain('S19 XP', '2022', 140, 21.5),
    kwhPrice: INDUSTRIAL_KWH_PRICE,
  },
  {
    name: 's21',
    describe: 'Antminer S21 (2024): 200 TH/s at 17.5 J/TH',
    machine: bitmain('S21', '2024', 200, 17.5),
    kwhPrice: INDUSTRIAL_KWH_PRICE,
  },
  {
    name: 'national-100mw',
    describe: 'a country mining with 100 MW of surplus hydro power in S21-class machines (17.5 J/TH)',
    machine: [
      {
        quantity: 'watts',
        figure: {
          value: 100e6,
          asOf: '2023',
          source:
            "the scale of Bhutan's hydro-powered mining (Bitdeer's 100 MW Gedu site with Druk Holding and Investments, 2023)",
        },
      },
      {
        quantity: 'efficiency',
        figure: { value: 17.5, asOf: '2024', source: "Bitmain's published specification for the Antminer S21" },
      },
    ],
    kwhPrice: {
      value: 0.04,
      asOf: '2019',
      source:
        "what the power would fetch exported instead: Bhutan's Mangdechhu export tariff to India, Nu 4.12/kWh (2019), is about 5 US cents; older plants' tariffs are lower",
    },
  },
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((preset) => preset.name === name);
}
