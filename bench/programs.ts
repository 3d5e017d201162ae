// The guest loops both interpreter benchmarks run: code at ORIGIN, 1 MiB of data at DATA.

export const ORIGIN = 0x400000;
export const DATA = 0x800000;

/** Checksum of 1 MiB with ld/add/bdnz, repeated forever. */
export const CHECKSUM = `
again:
    lis r3,${DATA >> 16}
    addi r3,r3,-8
    lis r5,2              # 0x20000 doublewords = 1 MiB
    mtctr r5
loop:
    ldu r6,8(r3)
    add r4,r4,r6
    bdnz loop
    b again
`;

/** A branchy loop: Collatz steps with compares, conditional branches, shifts and a call. */
export const BRANCHY = `
    li r10,1
outer:
    addi r10,r10,1
    mr r3,r10
    li r7,0
step:
    cmpdi r3,1
    beq done
    andi. r4,r3,1
    bne odd
    srdi r3,r3,1
    b next
odd:
    mulli r3,r3,3
    addi r3,r3,1
next:
    addi r7,r7,1
    bl count
    b step
done:
    b outer
count:
    addi r8,r8,1
    blr
`;
