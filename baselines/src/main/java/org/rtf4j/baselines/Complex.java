package org.rtf4j.baselines;

/** Immutable complex number for the O(H·N) host-side parameter maps of the modal layers. */
record Complex(double re, double im) {
    static final Complex ZERO = new Complex(0, 0);
    static final Complex ONE = new Complex(1, 0);

    static Complex of(double[] a, int i) {
        return new Complex(a[i], a[i + 1]);
    }

    void into(double[] a, int i) {
        a[i] = re;
        a[i + 1] = im;
    }

    void addInto(double[] a, int i) {
        a[i] += re;
        a[i + 1] += im;
    }

    Complex plus(Complex o) {
        return new Complex(re + o.re, im + o.im);
    }

    Complex plus(double d) {
        return new Complex(re + d, im);
    }

    Complex minus(Complex o) {
        return new Complex(re - o.re, im - o.im);
    }

    Complex times(Complex o) {
        return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    Complex times(double d) {
        return new Complex(re * d, im * d);
    }

    Complex div(Complex o) {
        double n = o.re * o.re + o.im * o.im;
        return new Complex((re * o.re + im * o.im) / n, (im * o.re - re * o.im) / n);
    }

    Complex conj() {
        return new Complex(re, -im);
    }

    Complex exp() {
        double e = Math.exp(re);
        return new Complex(e * Math.cos(im), e * Math.sin(im));
    }

    Complex log() {
        return new Complex(Math.log(Math.hypot(re, im)), Math.atan2(im, re));
    }

    Complex square() {
        return times(this);
    }
}
