// AssemblyScript, compiled by ../build.ts into ../binary.ts: WebAssembly SIMD loops over tensors in
// the wasm backend's own memory (imported), addressed by byte offset. Channel counts are multiples
// of 4 (the callers check). Nothing here allocates or has static data, so the module never writes
// outside the buffers it is given.

/** Adds the columns of x [rows, channels] into the float64 sums [channels]. */
export function channelSums(x: usize, rows: i32, channels: i32, sums: usize): void {
  sumRows(x, rows, channels, 0, false, sums);
}

/** Adds Σ (x − mean)² per channel into the float64 sums [channels]. */
export function centredSquareSums(x: usize, rows: i32, channels: i32, mean: usize, sums: usize): void {
  sumRows(x, rows, channels, mean, true, sums);
}

// float32 partial sums over blocks of rows, then into float64: fast and accurate enough.
const BLOCK = 64;

// @ts-ignore: decorator
@inline
function sumRows(x: usize, rows: i32, channels: i32, mean: usize, squares: bool, sums: usize): void {
  const quads = channels >> 2;
  const stride = <usize>channels << 2;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    for (let q = 0; q < quads; q++) {
      const m = squares ? v128.load(mean + (<usize>q << 4)) : f32x4.splat(0);
      let acc = f32x4.splat(0);
      let p = x + ((<usize>r0 * <usize>channels + (<usize>q << 2)) << 2);
      for (let r = r0; r < r1; r++) {
        let v = v128.load(p);
        if (squares) {
          v = f32x4.sub(v, m);
          v = f32x4.mul(v, v);
        }
        acc = f32x4.add(acc, v);
        p += stride;
      }
      addInto(sums + (<usize>q << 5), acc);
    }
  }
}

/** y = x·mul + add per channel, over [rows, channels]. */
export function scaleShift(x: usize, rows: i32, channels: i32, mul: usize, add: usize, y: usize): void {
  const quads = channels >> 2;
  let p: usize = 0;
  for (let r = 0; r < rows; r++)
    for (let q = 0; q < quads; q++) {
      const c = <usize>q << 4;
      v128.store(y + p, f32x4.add(f32x4.mul(v128.load(x + p), v128.load(mul + c)), v128.load(add + c)));
      p += 16;
    }
}

/** Float64 Σ dy and Σ dy·(x − mean) per channel, added into sumDy and sumDyCentred. */
export function gradientSums(
  dy: usize,
  x: usize,
  rows: i32,
  channels: i32,
  mean: usize,
  sumDy: usize,
  sumDyCentred: usize,
): void {
  const quads = channels >> 2;
  const stride = <usize>channels << 2;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    for (let q = 0; q < quads; q++) {
      const m = v128.load(mean + (<usize>q << 4));
      let a = f32x4.splat(0);
      let b = f32x4.splat(0);
      const offset = (<usize>r0 * <usize>channels + (<usize>q << 2)) << 2;
      let pg = dy + offset;
      let px = x + offset;
      for (let r = r0; r < r1; r++) {
        const g = v128.load(pg);
        a = f32x4.add(a, g);
        b = f32x4.add(b, f32x4.mul(g, f32x4.sub(v128.load(px), m)));
        pg += stride;
        px += stride;
      }
      addInto(sumDy + (<usize>q << 5), a);
      addInto(sumDyCentred + (<usize>q << 5), b);
    }
  }
}

// @ts-ignore: decorator
@inline
function addInto(out: usize, v: v128): void {
  v128.store(out, f64x2.add(v128.load(out), f64x2.promote_low_f32x4(v)));
  v128.store(out + 16, f64x2.add(v128.load(out + 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
}

/** dx = a·dy + b·x + d per channel, over [rows, channels]. */
export function affine2(
  dy: usize,
  x: usize,
  rows: i32,
  channels: i32,
  a: usize,
  b: usize,
  d: usize,
  dx: usize,
): void {
  const quads = channels >> 2;
  let p: usize = 0;
  for (let r = 0; r < rows; r++)
    for (let q = 0; q < quads; q++) {
      const c = <usize>q << 4;
      const v = f32x4.add(
        f32x4.add(f32x4.mul(v128.load(dy + p), v128.load(a + c)), f32x4.mul(v128.load(x + p), v128.load(b + c))),
        v128.load(d + c),
      );
      v128.store(dx + p, v);
      p += 16;
    }
}

/**
 * The weight gradient of an NHWC convolution, dw[kh, kw, ci, co] = Σ x[b, oh·sh + kh − top,
 * ow·sw + kw − left, ci] · dy[b, oh, ow, co], added into dw (zero it first). One image at a time
 * (its x and dy stay in cache), each tap and 4 × 8 block of (ci, co) accumulated in registers over
 * the image's pixels; input channels past the last multiple of 4 one at a time. outChannels % 8 == 0.
 */
export function convFilterGrad(
  x: usize,
  dy: usize,
  dw: usize,
  batch: i32,
  height: i32,
  width: i32,
  inChannels: i32,
  outHeight: i32,
  outWidth: i32,
  outChannels: i32,
  kernelHeight: i32,
  kernelWidth: i32,
  strideH: i32,
  strideW: i32,
  top: i32,
  left: i32,
): void {
  const xRow = <usize>width * <usize>inChannels;
  const xStep = (<usize>strideW * <usize>inChannels) << 2;
  const dyStep = <usize>outChannels << 2;
  for (let b = 0; b < batch; b++) {
    const xImage = x + ((<usize>b * <usize>height * xRow) << 2);
    const dyImage = dy + ((<usize>b * <usize>outHeight * <usize>outWidth * <usize>outChannels) << 2);
    for (let kh = 0; kh < kernelHeight; kh++) {
      // Output rows whose input row oh·sh + kh − top lies inside the image.
      const ohLo = max(0, ceilDiv(top - kh, strideH));
      const ohHi = min(outHeight, floorDiv(height - 1 + top - kh, strideH) + 1);
      if (ohLo >= ohHi) continue;
      for (let kw = 0; kw < kernelWidth; kw++) {
        const owLo = max(0, ceilDiv(left - kw, strideW));
        const owHi = min(outWidth, floorDiv(width - 1 + left - kw, strideW) + 1);
        if (owLo >= owHi) continue;
        const tap = dw + ((<usize>(kh * kernelWidth + kw) * <usize>inChannels * <usize>outChannels) << 2);
        const wholeQuads = inChannels & ~3;
        for (let ci = wholeQuads; ci < inChannels; ci++)
          for (let co = 0; co < outChannels; co += 8)
            filterGradOneChannel(
              xImage + (<usize>ci << 2),
              dyImage + (<usize>co << 2),
              tap + ((<usize>ci * <usize>outChannels + <usize>co) << 2),
              ohLo,
              ohHi,
              owLo,
              owHi,
              kh - top,
              kw - left,
              strideH,
              strideW,
              xRow,
              inChannels,
              outWidth,
              outChannels,
            );
        for (let ci = 0; ci < wholeQuads; ci += 4) {
          for (let co = 0; co < outChannels; co += 8) {
            const out = tap + ((<usize>ci * <usize>outChannels + <usize>co) << 2);
            const rowStride = <usize>outChannels << 2;
            let a0 = v128.load(out);
            let a1 = v128.load(out + 16);
            let b0 = v128.load(out + rowStride);
            let b1 = v128.load(out + rowStride + 16);
            let c0 = v128.load(out + 2 * rowStride);
            let c1 = v128.load(out + 2 * rowStride + 16);
            let d0 = v128.load(out + 3 * rowStride);
            let d1 = v128.load(out + 3 * rowStride + 16);
            for (let oh = ohLo; oh < ohHi; oh++) {
              const ih = oh * strideH + kh - top;
              const iw = owLo * strideW + kw - left;
              let px = xImage + ((<usize>ih * xRow + <usize>iw * <usize>inChannels + <usize>ci) << 2);
              let pd = dyImage + (((<usize>oh * <usize>outWidth + <usize>owLo) * <usize>outChannels + <usize>co) << 2);
              for (let ow = owLo; ow < owHi; ow++) {
                const xv = v128.load(px);
                const g0 = v128.load(pd);
                const g1 = v128.load(pd + 16);
                const x0 = v128.shuffle<f32>(xv, xv, 0, 0, 0, 0);
                const x1 = v128.shuffle<f32>(xv, xv, 1, 1, 1, 1);
                const x2 = v128.shuffle<f32>(xv, xv, 2, 2, 2, 2);
                const x3 = v128.shuffle<f32>(xv, xv, 3, 3, 3, 3);
                a0 = f32x4.add(a0, f32x4.mul(x0, g0));
                a1 = f32x4.add(a1, f32x4.mul(x0, g1));
                b0 = f32x4.add(b0, f32x4.mul(x1, g0));
                b1 = f32x4.add(b1, f32x4.mul(x1, g1));
                c0 = f32x4.add(c0, f32x4.mul(x2, g0));
                c1 = f32x4.add(c1, f32x4.mul(x2, g1));
                d0 = f32x4.add(d0, f32x4.mul(x3, g0));
                d1 = f32x4.add(d1, f32x4.mul(x3, g1));
                px += xStep;
                pd += dyStep;
              }
            }
            v128.store(out, a0);
            v128.store(out + 16, a1);
            v128.store(out + rowStride, b0);
            v128.store(out + rowStride + 16, b1);
            v128.store(out + 2 * rowStride, c0);
            v128.store(out + 2 * rowStride + 16, c1);
            v128.store(out + 3 * rowStride, d0);
            v128.store(out + 3 * rowStride + 16, d1);
          }
        }
      }
    }
  }
}

/** convFilterGrad's loop for one input channel (x at that channel) and 8 output channels. */
// @ts-ignore: decorator
@inline
function filterGradOneChannel(
  x: usize,
  dy: usize,
  out: usize,
  ohLo: i32,
  ohHi: i32,
  owLo: i32,
  owHi: i32,
  rowShift: i32,
  colShift: i32,
  strideH: i32,
  strideW: i32,
  xRow: usize,
  inChannels: i32,
  outWidth: i32,
  outChannels: i32,
): void {
  let a0 = v128.load(out);
  let a1 = v128.load(out + 16);
  const xStep = (<usize>strideW * <usize>inChannels) << 2;
  const dyStep = <usize>outChannels << 2;
  for (let oh = ohLo; oh < ohHi; oh++) {
    const ih = oh * strideH + rowShift;
    const iw = owLo * strideW + colShift;
    let px = x + ((<usize>ih * xRow + <usize>iw * <usize>inChannels) << 2);
    let pd = dy + ((<usize>oh * <usize>outWidth + <usize>owLo) * <usize>outChannels << 2);
    for (let ow = owLo; ow < owHi; ow++) {
      const v = v128.load32_splat(px);
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(pd)));
      a1 = f32x4.add(a1, f32x4.mul(v, v128.load(pd + 16)));
      px += xStep;
      pd += dyStep;
    }
  }
  v128.store(out, a0);
  v128.store(out + 16, a1);
}

/**
 * The input gradient's last step for a strided convolution: dx[b, oh·sh + kh − top, ow·sw + kw −
 * left, ci] += cols[b, oh, ow, kh, kw, ci] over every tap inside the image (cols = dy · Wᵀ, one row
 * per output pixel). dx must start zeroed.
 */
export function col2im(
  cols: usize,
  dx: usize,
  batch: i32,
  height: i32,
  width: i32,
  channels: i32,
  outHeight: i32,
  outWidth: i32,
  kernelHeight: i32,
  kernelWidth: i32,
  strideH: i32,
  strideW: i32,
  top: i32,
  left: i32,
): void {
  const quads = channels & ~3;
  let p = cols;
  for (let b = 0; b < batch; b++)
    for (let oh = 0; oh < outHeight; oh++)
      for (let ow = 0; ow < outWidth; ow++)
        for (let kh = 0; kh < kernelHeight; kh++) {
          const ih = oh * strideH + kh - top;
          for (let kw = 0; kw < kernelWidth; kw++) {
            const iw = ow * strideW + kw - left;
            if (ih >= 0 && ih < height && iw >= 0 && iw < width) {
              const q = dx + (((<usize>(b * height + ih) * <usize>width + <usize>iw) * <usize>channels) << 2);
              let c = 0;
              for (; c < quads; c += 4) {
                const at = <usize>c << 2;
                v128.store(q + at, f32x4.add(v128.load(q + at), v128.load(p + at)));
              }
              for (; c < channels; c++) {
                const at = <usize>c << 2;
                store<f32>(q + at, load<f32>(q + at) + load<f32>(p + at));
              }
            }
            p += <usize>channels << 2;
          }
        }
}

/** ReLU's gradient as tfjs defines it: dx = dy · step(x), step(x) = 1 above 0, else 0 (NaN for NaN). */
export function reluGrad(dy: usize, x: usize, n: i32, dx: usize): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const whole = n & ~3;
  let i = 0;
  for (; i < whole; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(x + at);
    let s = v128.bitselect(one, zero, f32x4.gt(v, zero));
    s = v128.bitselect(v, s, f32x4.ne(v, v));
    v128.store(dx + at, f32x4.mul(v128.load(dy + at), s));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const v = load<f32>(x + at);
    const s: f32 = v != v ? v : v > 0 ? 1 : 0;
    store<f32>(dx + at, load<f32>(dy + at) * s);
  }
}

// @ts-ignore: decorator
@inline
function floorDiv(a: i32, b: i32): i32 {
  const q = a / b;
  return q * b > a ? q - 1 : q;
}

// @ts-ignore: decorator
@inline
function ceilDiv(a: i32, b: i32): i32 {
  return -floorDiv(-a, b);
}

/** Zeroes `bytes` bytes (a multiple of 4) from `p`. */
export function zero(p: usize, bytes: i32): void {
  const z = f32x4.splat(0);
  const whole = <usize>(bytes & ~15);
  let i: usize = 0;
  for (; i < whole; i += 16) v128.store(p + i, z);
  for (; i < <usize>bytes; i += 4) store<f32>(p + i, 0);
}
