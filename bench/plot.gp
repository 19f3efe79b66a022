# SPDX-License-Identifier: GPL-2.0
# Top: Mpps per variant (veth, 64 B, 1 flow): median bar, min-max whisker.
# Bottom, when the tap workloads ran: per 64 B tap workload, each variant's
# received rate over the Linux bridge's (nf off), median of per-round ratios.
# gnuplot -e "data='plot.dat'; taps='plot-tap.dat'; out='results.png'" plot.gp
nonempty(f) = system("test -s '" . f . "' && echo 1 || echo 0") eq "1"
have_veth = exists("data") && nonempty(data)
have_taps = exists("taps") && nonempty(taps)

set terminal pngcairo size 900,(have_veth && have_taps ? 950 : 500) font ",11"
set output out
if (have_veth && have_taps) set multiplot layout 2,1

set grid ytics
set yrange [0:*]
set style fill solid 0.7 border -1
if (have_veth) {
	set title "veth ports, 64 B frames, 1 flow: received Mpps (median of interleaved rounds, min-max)"
	set ylabel "Mpps"
	set boxwidth 0.6
	set xtics rotate by -30
	unset key
	plot data using 0:2:xtic(1) with boxes lc rgb "#4472c4", \
	     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt 7 ps 0, \
	     '' using 0:2:(sprintf("%.2f", $2)) with labels offset 0,1.2
}
if (have_taps) {
	set title "VMs on taps, 64 B: rate over the Linux bridge's (nf off; capped: its CPU/frame over theirs)"
	set ylabel "x Linux bridge, nf off"
	set style data histograms
	set style histogram clustered gap 1
	set boxwidth 0.9
	set xtics rotate by -15 noenhanced
	set key outside right top noenhanced
	set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
	plot for [i = 2:*] taps using i:xtic(1) title columnheader(i)
}
if (have_veth && have_taps) unset multiplot
