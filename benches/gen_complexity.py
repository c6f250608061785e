"""A seeded synthetic country-product export table for the economic complexity benchmark.

200 countries x 5,000 HS6 products (codes of 6 digits, leading zeros kept, spread over the 97
HS chapters), shaped like BACI at HS6: country sizes log-normal (a few giants, many small
economies), product markets log-normal, a country exports a product with a probability that
rises with its size and falls with the product's sophistication (a nested matrix: large
economies export almost everything, small ones a few simple goods), and values are heavy-tailed
(size x market x capability fit x log-normal noise of sd 2). About 30% of the cells are
non-zero. No real data: only numpy's generator with a fixed seed.

Usage: python benches/gen_complexity.py [OUT.csv] [COUNTRIES] [PRODUCTS] [SEED]
       (default /tmp/complexity_200x5000.csv 200 5000 2026)
"""

import sys

import numpy as np


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/complexity_200x5000.csv"
    nc = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    npr = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 2026
    rng = np.random.default_rng(seed)

    # Country ids c001..c200; products: HS chapter 01-97 and 4 more digits, distinct, sorted.
    countries = [f"c{i + 1:03d}" for i in range(nc)]
    codes = set()
    while len(codes) < npr:
        ch = rng.integers(1, 98)
        codes.add(f"{ch:02d}{rng.integers(0, 10000):04d}")
    products = sorted(codes)

    size = rng.lognormal(0.0, 1.6, nc)  # GDP-like, heavy-tailed
    capability = np.argsort(np.argsort(size + rng.lognormal(0.0, 1.0, nc))) / (nc - 1)
    market = rng.lognormal(0.0, 1.8, npr)  # world market of each product
    sophistication = rng.uniform(0.0, 1.0, npr)

    # Presence: logistic in log size and capability minus sophistication.
    z = (
        0.9 * np.log(size)[:, None]
        + 3.0 * (capability[:, None] - sophistication[None, :])
        - 1.3
    )
    present = rng.uniform(size=(nc, npr)) < 1.0 / (1.0 + np.exp(-z))
    fit = np.exp(2.5 * (capability[:, None] - sophistication[None, :]))
    noise = rng.lognormal(0.0, 2.0, (nc, npr))
    value = size[:, None] * market[None, :] * fit * noise * 1e4
    value = np.where(present, np.round(value, 2), 0.0)
    value[value < 0.01] = 0.0

    ci, pi = np.nonzero(value)
    with open(out, "w") as f:
        f.write("country,product,value\n")
        for c, p in zip(ci, pi):
            f.write(f"{countries[c]},{products[p]},{value[c, p]:.2f}\n")
    print(f"{out}: {len(ci)} rows, {nc} countries x {npr} products, seed {seed}")


if __name__ == "__main__":
    main()
